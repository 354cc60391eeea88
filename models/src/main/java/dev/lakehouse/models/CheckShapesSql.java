package dev.lakehouse.models;

import dev.lakehouse.models.ModelStatement.Role;
import dev.lakehouse.spec.CheckSpec;
import dev.lakehouse.spec.ModelCatalog;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.UserModelSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code ops.check_shapes}: how many columns each {@code sql} check's query returns, as a probe learned it
 * (docs/models.md#checks), so that a worker that starts reads what earlier workers learned instead of probing every
 * model again. A row is keyed by its {@link #shape}: a hash of everything the count depends on that the spec holds
 * (the model, the check's name and query, and the model's own SQL or columns), so a changed query or model is a new
 * shape, probed again; the newest row of a shape wins.
 */
public final class CheckShapesSql {
  public static final String TABLE = Sql.table(OpsSql.SCHEMA, "check_shapes");

  private final PipelineSpec spec;

  public CheckShapesSql(PipelineSpec spec) {
    this.spec = spec;
  }

  /**
   * The key of a {@code sql} check's column count: SHA-256 of its model, name and query, and of the model's SQL file
   * (a user model: {@code SELECT * FROM {{ this }}} returns its columns, which its SQL decides) or the spec's
   * columns of a generated model.
   */
  public String shape(CheckSpec check) {
    Optional<UserModelSpec> user = spec.userModel(check.asset());
    String model = user.map(UserModelSpec::template)
        .orElseGet(() -> String.join(",", ModelCatalog.of(spec).columns(check.asset()).orElse(List.of())));
    return sha256(String.join("\n\u0000", check.asset(), check.name(), check.sql(), model));
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  public static List<ModelStatement> ddl() {
    return List.of(
        new ModelStatement(Role.DDL, "CREATE SCHEMA IF NOT EXISTS " + Sql.CATALOG + "." + OpsSql.SCHEMA),
        new ModelStatement(Role.DDL, "CREATE TABLE IF NOT EXISTS " + TABLE + " (\n"
            + "  shape varchar,\n"
            + "  columns integer,\n"
            + "  learned_at timestamp(6) with time zone\n"
            + ")\nWITH (format_version = 2)"));
  }

  /** Every shape's newest column count (0: the query's first column is no text key, the check runs alone). */
  public static String latestQuery() {
    return "SELECT shape, max_by(columns, learned_at) FROM " + TABLE + " GROUP BY shape";
  }

  /** Counts a probe learned, in one statement (one Iceberg commit). */
  public static ModelStatement insert(Map<String, Integer> columnsByShape, Instant learnedAt) {
    if (columnsByShape.isEmpty()) {
      throw new IllegalArgumentException("no check shapes to record");
    }
    return new ModelStatement(Role.RECORD, "INSERT INTO " + TABLE + " (shape, columns, learned_at)\nVALUES "
        + columnsByShape.entrySet().stream().sorted(Map.Entry.comparingByKey())
            .map(e -> "(" + Sql.string(e.getKey()) + ", " + e.getValue() + ", " + OpsSql.timestamp(learnedAt) + ")")
            .collect(Collectors.joining(",\n  ")));
  }
}
