package dev.lakehouse.activities.trino;

import dev.lakehouse.models.Batch;
import dev.lakehouse.models.ModelSql;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code lakehouse models sql <asset> [--full-refresh] [--live]}: prints the SQL a model run executes, like
 * {@code dbt compile}. Offline (default) the input filter reads every row; with {@code --live} it asks Trino for
 * the model's watermark and prints the statements of the next run with its exact Kafka offset range (read-only).
 * The CLI calls {@link #print}; this main makes it usable without the CLI.
 */
public final class ModelSqlMain {
  private ModelSqlMain() {}

  /** The SQL text, or throws IllegalArgumentException naming the known models. */
  public static String print(PipelineSpec spec, String asset, boolean fullRefresh, boolean live) throws SQLException {
    ModelSql sql = new ModelSql(spec);
    if (live) {
      return new ModelRunner(sql, new TrinoConnections(spec.endpoints().trino()), java.time.Clock.systemUTC())
          .explain(asset, fullRefresh);
    }
    return sql.render(asset, Batch.all(), fullRefresh);
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    List<String> positional = new ArrayList<>();
    boolean fullRefresh = false;
    boolean live = false;
    for (String a : args) {
      switch (a) {
        case "--full-refresh" -> fullRefresh = true;
        case "--live" -> live = true;
        default -> positional.add(a);
      }
    }
    PipelineSpec spec = SpecLoader.load();
    if (positional.size() != 1) {
      err.println("usage: models sql <asset> [--full-refresh] [--live]; models: " + new ModelSql(spec).modelKeys());
      return 2;
    }
    try {
      out.print(print(spec, positional.get(0), fullRefresh, live));
      return 0;
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    } catch (SQLException e) {
      err.println("could not read the watermark from Trino at " + spec.endpoints().trino().jdbcUrl() + ": "
          + e.getMessage() + " (drop --live to print offline)");
      return 1;
    }
  }
}
