package dev.lakehouse.starter;

import dev.lakehouse.workflows.Automation;
import dev.lakehouse.workflows.Lakehouse;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "automation", mixinStandardHelpOptions = true,
    description = "The long-running workflows under their fixed IDs: lakehouse automation start.",
    subcommands = {AutomationCommand.Start.class})
final class AutomationCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec commandSpec;

  @Override
  public void run() {
    commandSpec.commandLine().usage(commandSpec.commandLine().getOut());
  }

  @Command(name = "start", mixinStandardHelpOptions = true,
      description = {"Start every automation workflow that is not running (idempotent).",
          "ingestion-setup, the ingestion-health cron, the materializer coordinator, one sensor per raw table,",
          "the maintenance crons. Running ones are left alone; a finished ingestion-setup runs again (its",
          "steps are idempotent)."})
  static final class Start extends TemporalCommand {
    @Override
    int call(TemporalSession session) {
      var spec = root().spec();
      boolean setup = Automation.ensureIngestionSetup(session.client(), spec);
      List<String> started = Automation.ensure(session.client(), spec);
      var out = out();
      out.println((setup ? "started          " : "already running  ") + Lakehouse.INGESTION_SETUP_ID);
      for (String id : StatusCommand.automationIds(root().graph())) {
        if (!id.equals(Lakehouse.INGESTION_SETUP_ID)) {
          out.println((started.contains(id) ? "started          " : "already running  ") + id);
        }
      }
      return 0;
    }
  }
}
