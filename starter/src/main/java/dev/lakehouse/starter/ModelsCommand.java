package dev.lakehouse.starter;

import dev.lakehouse.models.Batch;
import dev.lakehouse.models.ModelSql;
import dev.lakehouse.models.UserModelSql;
import dev.lakehouse.spec.PipelineSpec;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code lakehouse models sql <asset>}: the SQL a model run executes, like {@code dbt compile}. */
@Command(name = "models", mixinStandardHelpOptions = true,
    description = "Look at the SQL models.",
    subcommands = {ModelsCommand.Sql.class})
final class ModelsCommand implements Runnable {
  @ParentCommand
  LakehouseCli root;

  @Override
  public void run() {
    root.commandSpec.commandLine().getSubcommands().get("models").usage(root.commandSpec.commandLine().getOut());
  }

  @Command(name = "sql", mixinStandardHelpOptions = true,
      description = {"Print the SQL a materialization of <asset> runs (like dbt compile).",
          "Offline (default) the input filter reads every raw row; --live asks Trino for the model's watermark"
              + " and prints the next run's exact Kafka offset range (read-only; a full refresh reads every row)."})
  static final class Sql implements Callable<Integer> {
    @ParentCommand
    ModelsCommand models;

    @Parameters(paramLabel = "<asset>", description = "A model key, e.g. data_vault.s_users, parsed_data.parsed_users"
        + " or a user model such as marts.user_balances.")
    String asset;

    @Option(names = "--full-refresh", description = "The SQL of a full refresh (rebuild from all raw rows).")
    boolean fullRefresh;

    @Option(names = "--live", description = "Read the watermark from Trino (the stack must run).")
    boolean live;

    @Override
    public Integer call() {
      LakehouseCli root = models.root;
      var out = root.commandSpec.commandLine().getOut();
      PipelineSpec spec = root.spec();
      ModelSql sql = new ModelSql(spec);
      if (spec.userModel(asset).isPresent()) {
        return userModel(spec, out);
      }
      try {
        ModelSql.Model model = sql.model(asset);
        // a full refresh reads every row whatever the watermark: nothing to ask Trino
        Batch batch = live && !fullRefresh ? new TrinoReads(spec.trino()).nextBatch(model) : Batch.all();
        out.print(sql.render(asset, batch, fullRefresh));
        out.flush();
        return 0;
      } catch (IllegalArgumentException e) {
        throw new CliException("lakehouse: " + e.getMessage(), 1);
      } catch (SQLException e) {
        spec.trino().authProblem(e).ifPresent(m -> {
          throw new CliException("lakehouse: " + m, 2);
        });
        throw new CliException("lakehouse: could not read the watermark from Trino at "
            + spec.endpoints().trino().jdbcUrl() + ": " + e.getMessage()
            + " (start the stack with ./lakehouse up, or drop --live to print offline)", 1);
      }
    }

    /** A user SQL model rendered offline: is_incremental() true unless --full-refresh, new_rows reads everything. */
    private int userModel(PipelineSpec spec, java.io.PrintWriter out) {
      if (live) {
        throw new CliException("lakehouse: --live applies to the spec's models; " + asset + " is a user model,"
            + " printed offline", 2);
      }
      try {
        out.print(new UserModelSql(spec).render(asset, UserModelSql.Run.offline(fullRefresh)));
        out.flush();
        return 0;
      } catch (IllegalArgumentException e) {
        throw new CliException("lakehouse: " + e.getMessage(), 2);
      }
    }
  }
}
