package dev.lakehouse.starter;

import dev.lakehouse.workflows.automation.AutomationPlan;
import dev.lakehouse.workflows.automation.ObservedSchedule;
import dev.lakehouse.workflows.automation.ScheduleAutomation;
import dev.lakehouse.workflows.automation.ScheduledJob;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleDescription;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "schedules", mixinStandardHelpOptions = true,
    description = {"The Temporal Schedules of the spec (ingestion-health, maintenance-vault,",
        "maintenance-raw-parsed, maintenance-extended-stats, maintenance-compact-raw, checks-full, ...): state,",
        "cron, next and last run.",
        "pause | unpause | trigger <id> act on one; lakehouse automation start creates or updates them."},
    subcommands = {SchedulesCommand.Pause.class, SchedulesCommand.Unpause.class, SchedulesCommand.Trigger.class})
final class SchedulesCommand extends TemporalCommand {

  @Override
  int call(TemporalSession session) {
    ScheduleAutomation automation = new ScheduleAutomation(session.client(), root().spec());
    Map<String, ObservedSchedule> observed = automation.observeSchedules();
    PrintWriter out = out();
    out.printf("%-28s %-8s %-12s %-22s %s%n", "SCHEDULE", "STATE", "CRON", "NEXT RUN", "LAST RUN");
    for (ScheduledJob job : AutomationPlan.schedules(root().spec())) {
      ObservedSchedule o = observed.get(job.id());
      if (o == null) {
        out.printf("%-28s %-8s %-12s %-22s %s%n", job.id(), "missing", job.cron(), "-",
            "- (lakehouse automation start creates it)");
        continue;
      }
      ScheduleDescription d = automation.handle(job.id()).describe();
      List<Instant> next = d.getInfo().getNextActionTimes();
      List<ScheduleActionResult> recent = d.getInfo().getRecentActions();
      String last = "-";
      if (!recent.isEmpty()) {
        ScheduleActionResult r = recent.get(recent.size() - 1);
        last = r.getStartedAt().truncatedTo(ChronoUnit.SECONDS).toString();
        if (r.getAction() instanceof ScheduleActionExecutionStartWorkflow w) {
          last += " " + w.getWorkflowId() + " (" + Inspect.describe(session, w.getWorkflowId()).status() + ")";
        }
      }
      out.printf("%-28s %-8s %-12s %-22s %s%n", job.id(), o.paused() ? "paused" : "active",
          o.cron() == null ? "?" : o.cron(),
          o.paused() || next.isEmpty() ? "-" : next.get(0).truncatedTo(ChronoUnit.SECONDS).toString(), last);
      if (o.paused() && o.note() != null && !o.note().isEmpty()) {
        out.println("  note: " + o.note());
      }
    }
    return 0;
  }

  /** One schedule of the spec by ID; another ID is bad usage. */
  abstract static class OneSchedule extends TemporalCommand {
    @Parameters(paramLabel = "<id>", description = "ingestion-health, maintenance-vault, maintenance-raw-parsed,"
        + " maintenance-extended-stats, maintenance-compact-raw, checks-full or another of lakehouse schedules")
    String id;

    @Override
    int call(TemporalSession session) {
      List<String> ids = AutomationPlan.schedules(root().spec()).stream().map(ScheduledJob::id).toList();
      if (!ids.contains(id)) {
        throw new CliException("lakehouse: no schedule '" + id + "'; the lakehouse's are " + String.join(", ", ids),
            2);
      }
      ScheduleAutomation automation = new ScheduleAutomation(session.client(), root().spec());
      if (!automation.observeSchedules().containsKey(id)) {
        throw new CliException("lakehouse: schedule '" + id + "' does not exist yet: run lakehouse automation start");
      }
      out().println(act(automation, id));
      return 0;
    }

    abstract String act(ScheduleAutomation automation, String id);
  }

  @Command(name = "pause", mixinStandardHelpOptions = true,
      description = "Pause a schedule (no more runs until unpause; lakehouse automation start leaves it paused).")
  static final class Pause extends OneSchedule {
    @Override
    String act(ScheduleAutomation automation, String id) {
      automation.handle(id).pause("paused by lakehouse schedules pause");
      return "schedule " + id + ": paused";
    }
  }

  @Command(name = "unpause", mixinStandardHelpOptions = true, description = "Unpause a schedule.")
  static final class Unpause extends OneSchedule {
    @Override
    String act(ScheduleAutomation automation, String id) {
      automation.handle(id).unpause("unpaused by lakehouse schedules unpause");
      return "schedule " + id + ": unpaused";
    }
  }

  @Command(name = "trigger", mixinStandardHelpOptions = true,
      description = "Run a schedule's workflow now (skipped, like a due run, while one of it is still running).")
  static final class Trigger extends OneSchedule {
    @Override
    String act(ScheduleAutomation automation, String id) {
      automation.handle(id).trigger(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP);
      return "schedule " + id + ": triggered (lakehouse schedules shows the run)";
    }
  }
}
