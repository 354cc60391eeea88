package dev.lakehouse.starter;

import dev.lakehouse.workflows.Automation;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.automation.Change;
import dev.lakehouse.workflows.automation.ScheduleAutomation;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "automation", mixinStandardHelpOptions = true,
    description = "The long-running workflows and schedules: lakehouse automation start | stop.",
    subcommands = {AutomationCommand.Start.class, AutomationCommand.Stop.class})
final class AutomationCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec commandSpec;

  @Override
  public void run() {
    commandSpec.commandLine().usage(commandSpec.commandLine().getOut());
  }

  @Command(name = "start", mixinStandardHelpOptions = true,
      description = {"Bring the automation in line with the spec (idempotent), one line per change:",
          "ingestion-setup and the materializer coordinator start unless they run; a sensor per raw table starts,",
          "or gets the spec's sensor-interval by a signal (no restart); the Temporal Schedules ingestion-health,",
          "maintenance-vault, maintenance-raw-parsed, maintenance-extended-stats, maintenance-compact-raw are",
          "created, or updated when their cron changed, or unpaused when automation stop paused them (a",
          "schedule paused by hand stays paused). A legacy cron workflow under a schedule's ID is terminated and replaced by the schedule."})
  static final class Start extends TemporalCommand {
    @Override
    int call(TemporalSession session) {
      var spec = root().spec();
      boolean setup = Automation.ensureIngestionSetup(session.client(), spec);
      var out = out();
      out.println(setup ? "workflow " + Lakehouse.INGESTION_SETUP_ID + ": started"
          : "unchanged: workflow " + Lakehouse.INGESTION_SETUP_ID + " (running)");
      new ScheduleAutomation(session.client(), spec).start(c -> out.println(c.line()));
      return 0;
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true,
      description = {"Stop the automation, keeping data, schedules and histories: terminates the sensors, the",
          "coordinator and a running ingestion-setup, and pauses every schedule (note '"
              + "paused by lakehouse automation stop'). A run a schedule already started finishes.",
          "lakehouse automation start (or ./lakehouse up) starts it all again."})
  static final class Stop extends TemporalCommand {
    @Override
    int call(TemporalSession session) {
      List<Change> changes = new ScheduleAutomation(session.client(), root().spec()).stop();
      var out = out();
      if (changes.isEmpty()) {
        out.println("nothing was running");
      }
      changes.forEach(c -> out.println(c.line()));
      return 0;
    }
  }
}
