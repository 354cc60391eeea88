package dev.lakehouse.spec;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the resolved {@code lakehouse} object into a {@link PipelineSpec}, collecting every problem (each
 * with its HOCON path); every read returns a usable default after recording a problem ({@link SpecValues}), so
 * one pass finds them all and {@link #read()} throws one {@link SpecException} listing them. The endpoints,
 * source, tables, schedules and worker settings are read here, the Data Vault models by {@link VaultReader}.
 */
final class SpecReader {
  static final Pattern CONNECTOR_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
  static final Pattern DATA_SIZE = Pattern.compile("\\d+(B|kB|MB|GB|TB)");
  static final int DEFAULT_FLINK_RPC_PORT = 6123;

  private final SpecValues in;
  private final VaultReader vault;
  private final String origin;

  SpecReader(Config root, String origin) {
    this.in = new SpecValues(root);
    this.vault = new VaultReader(in);
    this.origin = origin;
  }

  PipelineSpec read() {
    Endpoints endpoints = endpoints();
    SourceSpec source = source();
    List<TableSpec> tables = tables();
    Map<String, TableSpec> byName = new HashMap<>();
    tables.forEach(t -> byName.put(t.name(), t));
    List<HubSpec> hubs = vault.hubs(byName);
    Map<String, HubSpec> hubsByName = new HashMap<>();
    hubs.forEach(h -> hubsByName.put(h.name(), h));
    List<LinkSpec> links = vault.links(byName, hubsByName);
    List<SatelliteSpec> satellites = vault.satellites(byName, hubsByName);
    vault.checkModels(hubs, links, satellites);
    List<CheckSpec> checks = new CheckReader(in).read(new ModelCatalog(tables, hubs, links, satellites));
    Schedules schedules = schedules();
    WorkerSpec worker = worker();
    SecuritySpec security = new SecurityReader(in).read(endpoints);
    OpsReader ops = new OpsReader(in);
    FreshnessSpec freshness = ops.freshness(modelKeys(tables, hubs, links, satellites));
    AlertsSpec alerts = ops.alerts();
    if (!in.problems().isEmpty()) {
      throw new SpecException(origin, in.problems());
    }
    return new PipelineSpec(endpoints, source, tables, hubs, links, satellites, schedules, worker, security,
        freshness, alerts, checks, List.of());
  }

  private static Set<String> modelKeys(List<TableSpec> tables, List<HubSpec> hubs, List<LinkSpec> links,
      List<SatelliteSpec> satellites) {
    Set<String> keys = new HashSet<>();
    tables.forEach(t -> keys.add(PipelineSpec.PARSED_SCHEMA + "." + PipelineSpec.parsedTableName(t.name())));
    hubs.forEach(h -> keys.add(PipelineSpec.VAULT_SCHEMA + "." + h.name()));
    links.forEach(l -> keys.add(PipelineSpec.VAULT_SCHEMA + "." + l.name()));
    satellites.forEach(x -> keys.add(PipelineSpec.VAULT_SCHEMA + "." + x.name()));
    return keys;
  }

  // ---------------------------------------------------------------- endpoints

  private Endpoints endpoints() {
    String p = "endpoints";
    String host = in.string(p + ".host");
    int kafka = in.port(p + ".kafka.port");
    int temporal = in.port(p + ".temporal.port");
    return new Endpoints(
        host,
        new Endpoints.Postgres(host(p, "postgres", host), in.port(p + ".postgres.port"),
            in.identifier(p + ".postgres.database"), in.string(p + ".postgres.user"),
            in.string(p + ".postgres.password")),
        new Endpoints.Kafka(host(p, "kafka", host), kafka, in.optionalPort(p + ".kafka.controller-port", kafka + 1)),
        new Endpoints.Connect(host(p, "connect", host), in.port(p + ".connect.port")),
        new Endpoints.Flink(host(p, "flink", host), in.port(p + ".flink.port"),
            in.optionalString(p + ".flink.sql-gateway-host", host(p, "flink", host)),
            in.port(p + ".flink.sql-gateway-port"), in.optionalPort(p + ".flink.rpc-port", DEFAULT_FLINK_RPC_PORT)),
        new Endpoints.IcebergRest(host(p, "iceberg-rest", host), in.port(p + ".iceberg-rest.port")),
        new Endpoints.S3(host(p, "s3", host), in.port(p + ".s3.port"), in.string(p + ".s3.bucket"),
            in.string(p + ".s3.access-key"), in.string(p + ".s3.secret-key"), in.string(p + ".s3.region"),
            s3Credentials(p + ".s3.credentials")),
        new Endpoints.Trino(host(p, "trino", host), in.port(p + ".trino.port"), in.string(p + ".trino.user")),
        new Endpoints.Temporal(host(p, "temporal", host), temporal, in.port(p + ".temporal.ui-port"),
            in.optionalPort(p + ".temporal.http-port", temporal + 10),
            in.optionalPort(p + ".temporal.metrics-port", temporal + 11),
            in.string(p + ".temporal.namespace"), in.string(p + ".temporal.task-queue")),
        new Endpoints.Console(host(p, "console", host), in.port(p + ".console.port")));
  }

  /** {@code static} unless set; {@code default-chain} hands the S3 clients no keys ({@link Endpoints.S3}). */
  private Endpoints.S3Credentials s3Credentials(String path) {
    String text = in.optionalString(path, "");
    if (text.isBlank()) {
      return Endpoints.S3Credentials.STATIC;
    }
    return Endpoints.S3Credentials.of(text).orElseGet(() -> {
      in.problem(path, "'" + text + "' is neither static nor default-chain (LAKEHOUSE_S3_CREDENTIALS)");
      return Endpoints.S3Credentials.STATIC;
    });
  }

  /** A service's own host (Docker service names), else the shared one. */
  private String host(String prefix, String service, String fallback) {
    return in.optionalString(prefix + "." + service + ".host", fallback);
  }

  // ---------------------------------------------------------------- source

  private SourceSpec source() {
    if (in.has("source.database")) {
      // the database was named twice; a file written before that would otherwise be read half-silently
      in.problem("source.database", "no longer read: the source database is lakehouse.endpoints.postgres.database"
          + " (environment LAKEHOUSE_SOURCE_DATABASE); remove this key");
    }
    String connector = in.string("source.connector");
    if (!connector.isEmpty() && !CONNECTOR_NAME.matcher(connector).matches()) {
      in.problem("source.connector", "'" + connector + "' is not a valid connector name ([A-Za-z0-9][A-Za-z0-9_.-]*)");
    }
    return new SourceSpec(connector, in.identifier("source.schema"), in.identifier("source.topic-prefix"),
        in.identifier("source.publication"), in.identifier("source.slot"));
  }

  // ---------------------------------------------------------------- tables

  private List<TableSpec> tables() {
    List<TableSpec> tables = in.each("tables", (name, p) -> {
      List<ColumnSpec> columns = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      List<? extends ConfigObject> columnObjects = in.objectList(p + ".columns");
      if (columnObjects.isEmpty() && in.has(p + ".columns")) {
        in.problem(p + ".columns", "a table needs at least one column");
      }
      for (int i = 0; i < columnObjects.size(); i++) {
        String cp = p + ".columns[" + i + "]";
        Config c = columnObjects.get(i).toConfig();
        String column = in.subString(c, cp, "name");
        String typeText = in.subString(c, cp, "type");
        in.checkIdentifier(cp + ".name", column);
        Optional<ColumnType> type = ColumnType.parse(typeText);
        if (!typeText.isEmpty() && type.isEmpty()) {
          in.problem(cp + ".type", "unknown column type '" + typeText + "' (" + ColumnType.FORMS + ")");
        }
        if (!seen.add(column)) {
          in.problem(cp + ".name", "duplicate column '" + column + "'");
        }
        // after a problem any type will do: the spec is rejected with every problem listed
        columns.add(new ColumnSpec(column, type.orElse(ColumnType.of(ColumnType.Kind.VARCHAR))));
      }
      List<String> pk = List.of();
      if (!in.has(p + ".primary-key")) {
        in.problem(p + ".primary-key", "missing primary key");
      } else {
        pk = in.stringList(p + ".primary-key");
        if (pk.isEmpty()) {
          in.problem(p + ".primary-key", "missing primary key (empty list)");
        }
        for (String k : pk) {
          if (!seen.contains(k)) {
            in.problem(p + ".primary-key", "unknown column '" + k + "' in primary key of table '" + name + "'");
          }
        }
      }
      return new TableSpec(name, pk, columns);
    });
    if (tables.isEmpty()) {
      in.problem("tables", "at least one source table is required");
    }
    return tables;
  }

  // ---------------------------------------------------------------- schedules

  private Schedules schedules() {
    String p = "schedules";
    String m = p + ".maintenance";
    return new Schedules(
        in.duration(p + ".sensor-interval"),
        in.positiveInt(p + ".sensor-iterations-per-run"),
        in.positiveInt(p + ".materializer-runs-per-execution"),
        in.positiveInt(p + ".materializer-signals-per-execution"),
        runsInFlight(p + ".materializer-runs-in-flight"),
        materializerRetry(p + ".materializer-retry"),
        in.duration(p + ".flink-checkpoint-interval"),
        in.cron(p + ".health-cron"),
        new Schedules.Maintenance(maintenance(m + ".vault"), maintenance(m + ".raw-parsed"),
            in.cron(m + ".drop-extended-stats-cron"), in.cron(m + ".compact-raw-cron"),
            in.optionalDuration(m + ".expire-model-snapshots-older-than", Schedules.DEFAULT_MODEL_SNAPSHOT_RETENTION)),
        optionalCron(p + ".checks-full-cron"));
  }

  /**
   * Optional: absent or empty is off. A spec written before the key existed never asked for nightly whole-table
   * reads, so an upgrade does not add them behind its back; the bundled lakehouse.conf sets one.
   */
  private String optionalCron(String path) {
    String c = in.optionalString(path, "").trim();
    for (String problem : c.isEmpty() ? List.<String>of() : CronExpression.problems(c)) {
      in.problem(path, "bad cron '" + c + "': " + problem + " (or \"\" for none)");
    }
    return c;
  }

  /** Optional: a spec written before the key existed keeps the default. */
  private int runsInFlight(String path) {
    int n = in.optionalInteger(path, Schedules.DEFAULT_MATERIALIZER_RUNS_IN_FLIGHT);
    if (n < 1 || n > Schedules.MAX_MATERIALIZER_RUNS_IN_FLIGHT) {
      in.problem(path, "must be between 1 and " + Schedules.MAX_MATERIALIZER_RUNS_IN_FLIGHT + ", got " + n);
    }
    return n;
  }

  private Schedules.MaterializerRetry materializerRetry(String p) {
    int retries = in.integer(p + ".retries", 0);
    if (retries < 0) {
      in.problem(p + ".retries", "must not be negative, got " + retries);
    }
    Duration initial = in.duration(p + ".initial-backoff");
    Duration max = in.duration(p + ".max-backoff");
    if (max.compareTo(initial) < 0) {
      in.problem(p + ".max-backoff", "must not be shorter than initial-backoff (" + initial + "), got " + max);
    }
    return new Schedules.MaterializerRetry(retries, initial, max);
  }

  private Schedules.MaintenanceSpec maintenance(String p) {
    String size = in.string(p + ".optimize-file-size-threshold");
    if (!size.isEmpty() && !DATA_SIZE.matcher(size).matches()) {
      in.problem(p + ".optimize-file-size-threshold", "'" + size + "' is not a data size like 128MB");
    }
    return new Schedules.MaintenanceSpec(in.cron(p + ".cron"), size, in.duration(p + ".expire-snapshots-older-than"),
        in.duration(p + ".remove-orphan-files-older-than"));
  }

  // ---------------------------------------------------------------- worker

  private WorkerSpec worker() {
    String p = "worker";
    if (!in.has(p)) {
      in.problem(p, "missing (the worker's settings: automation, connect-timeout-seconds, shutdown-timeout-seconds;"
          + " copy the block of the repository's lakehouse.conf)");
      return new WorkerSpec(false, Duration.ofSeconds(30), Duration.ofSeconds(30));
    }
    boolean automation = onOff(p + ".automation");
    int connect = in.integer(p + ".connect-timeout-seconds", 30);
    if (connect < 1) {
      in.problem(p + ".connect-timeout-seconds", "must be positive, got " + connect);
    }
    int shutdown = in.integer(p + ".shutdown-timeout-seconds", 30);
    if (shutdown < 0) {
      in.problem(p + ".shutdown-timeout-seconds", "must not be negative, got " + shutdown);
    }
    // optional: a spec written before the key existed keeps the default
    long batch = in.optionalInteger(p + ".model-batch-max-rows", (int) WorkerSpec.DEFAULT_MODEL_BATCH_MAX_ROWS);
    if (batch < 1) {
      in.problem(p + ".model-batch-max-rows", "must be positive, got " + batch);
    }
    int compact = in.optionalInteger(p + ".model-compact-every", WorkerSpec.DEFAULT_MODEL_COMPACT_EVERY);
    if (compact < 0) {
      in.problem(p + ".model-compact-every", "must be 0 (off) or positive, got " + compact);
    }
    return new WorkerSpec(automation, Duration.ofSeconds(connect), Duration.ofSeconds(shutdown), batch, compact);
  }

  private boolean onOff(String path) {
    return in.onOff(path);
  }
}
