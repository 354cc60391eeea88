package dev.lakehouse.starter;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecException;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.spec.SpecSource;
import dev.lakehouse.spec.SpecVersion;
import dev.lakehouse.workflows.Automation;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.apply.ApplyActionKind;
import dev.lakehouse.workflows.apply.ApplyReport;
import dev.lakehouse.workflows.apply.ApplyRequest;
import dev.lakehouse.workflows.apply.TemporalActions;
import dev.lakehouse.workflows.automation.Change;
import dev.lakehouse.workflows.automation.ScheduleAutomation;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowStub;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "apply", mixinStandardHelpOptions = true,
    description = {"Bring the running lakehouse to the spec, like terraform plan/apply (workflow 'spec-apply').",
        "Reads the spec, compares it with what runs (publication, connector, Iceberg tables, Flink job, and the",
        "schedules and sensors as automation start does), prints the plan (one line per action, grouped by system),",
        "then converges each system unless --dry-run. A refused",
        "change (a table PostgreSQL lacks, a type change, a removal without --allow-removal) changes nothing:",
        "one line each, exit code 2. Walk-through: docs/apply.md."})
final class ApplyCommand extends TemporalCommand {
  static final long TIMEOUT_MINUTES = 15;

  @Option(names = "--dry-run", description = "Print the plan and change nothing.")
  boolean dryRun;

  @Option(names = "--spec", paramLabel = "FILE",
      description = "The spec to apply (default: the one every command reads, LAKEHOUSE_SPEC or lakehouse.conf)."
          + " It may include another (include \"../../lakehouse.conf\").")
  Path specFile;

  @Option(names = "--allow-removal",
      description = "Let tables and columns leave the spec: they stop being ingested, their data is kept.")
  boolean allowRemoval;

  @Option(names = "--after-up", hidden = true,
      description = "./lakehouse up: wait (at most --setup-wait) for ingestion-setup, then apply the spec in use;"
          + " one line when nothing is to do.")
  boolean afterUp;

  @Option(names = "--setup-wait", hidden = true, defaultValue = "PT3M",
      description = "With --after-up: how long to wait for ingestion-setup (ISO-8601 duration).")
  java.time.Duration setupWait;

  private PipelineSpec desired;

  @Override
  void validate() {
    desired = desired();
  }

  @Override
  int call(TemporalSession session) {
    if (afterUp && !awaitSetup(session)) {
      out().println("lakehouse: " + Lakehouse.INGESTION_SETUP_ID + " still runs after " + setupWait.toSeconds()
          + " s: the spec in use was not compared; run ./lakehouse apply --dry-run once it finished");
      return 0;
    }
    WorkflowStub stub = session.client().newUntypedWorkflowStub("SpecApplyWorkflow",
        Automation.options(root().spec(), Lakehouse.SPEC_APPLY_ID));
    try {
      stub.start(new ApplyRequest(desired.structure(), dryRun, allowRemoval));
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw new CliException("lakehouse: an apply is running (workflow '" + Lakehouse.SPEC_APPLY_ID + "'): wait for it,"
          + " or see temporal workflow describe --workflow-id " + Lakehouse.SPEC_APPLY_ID);
    }
    ApplyReport report;
    try {
      report = stub.getResult(TIMEOUT_MINUTES, TimeUnit.MINUTES, ApplyReport.class);
    } catch (TimeoutException e) {
      throw new CliException("lakehouse: workflow '" + Lakehouse.SPEC_APPLY_ID + "' did not finish within "
          + TIMEOUT_MINUTES + " min: is the worker running? (lakehouse status)");
    } catch (WorkflowException e) {
      throw new CliException("lakehouse: apply failed: " + LakehouseCli.message(e).replaceFirst("^lakehouse: ", "")
          + " (what was done is kept; apply again once fixed)");
    }
    if (report.plan().refused()) {
      return print(report, List.of(), out(), commandSpec.commandLine().getErr());
    }
    // the Temporal part: the automation's own reconciliation (as automation start and the worker's boot), for the
    // applied spec, client-side, after the services converged (a new raw table exists before its sensor starts)
    ScheduleAutomation automation = new ScheduleAutomation(session.client(), desired);
    List<Change> temporal = new ArrayList<>();
    boolean schedules = true;
    try {
      temporal.addAll(automation.planSchedules());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
        throw e;
      }
      schedules = false;
      commandSpec.commandLine().getErr().println("lakehouse: note: Temporal at " + session.target() + " has no"
          + " Schedules (UNIMPLEMENTED): the schedules were not compared; the sensors were");
    }
    temporal.addAll(automation.planSensors());
    ApplyReport merged = new ApplyReport(report.plan().withTemporal(TemporalActions.of(temporal)), report.dryRun(),
        report.changes());
    List<String> applied = new ArrayList<>();
    if (!dryRun && temporal.stream().anyMatch(Change::changes)) {
      List<Change> done = new ArrayList<>(schedules ? automation.applySchedules() : List.of());
      done.addAll(automation.applySensors());
      done.stream().filter(Change::changes).map(Change::line).forEach(applied::add);
    }
    if (afterUp && merged.plan().nothingToDo()) {
      // up on a fresh or unchanged lakehouse: one line, no plan
      out().println("spec " + SpecVersion.of(desired) + ": everything runs the spec in use");
      return 0;
    }
    return print(merged, applied, out(), commandSpec.commandLine().getErr());
  }

  /**
   * The worker's boot starts {@code ingestion-setup}, which converges the services with its own steps; planning
   * while it runs would race it (two job submissions), so {@code up} plans after it.
   */
  private boolean awaitSetup(TemporalSession session) {
    long deadline = System.nanoTime() + setupWait.toNanos();
    while (Inspect.describe(session, Lakehouse.INGESTION_SETUP_ID).running()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** The spec of --spec (endpoints and --set as every command), else the one every command reads. */
  private PipelineSpec desired() {
    if (specFile == null) {
      return root().spec();
    }
    try {
      return SpecLoader.load(SpecSource.file(specFile.toAbsolutePath().normalize()), root().env(), root().overrides);
    } catch (SpecException e) {
      throw new CliException("lakehouse: " + e.getMessage(), 2);
    }
  }

  /** The plan, then (unless a dry run) what changed: the workflow's lines, then {@code temporal}'s. */
  static int print(ApplyReport report, List<String> temporal, PrintWriter out, PrintWriter err) {
    var plan = report.plan();
    if (plan.refused()) {
      // one line each, and together they changed nothing
      plan.refusals().forEach(r -> err.println("lakehouse: refused (nothing changed): " + r));
      err.flush();
      return 2;
    }
    plan.lines().forEach(out::println);
    if (plan.nothingToDo()) {
      return 0;
    }
    if (report.dryRun()) {
      out.println("dry run: nothing was changed (run without --dry-run to apply)");
      return 0;
    }
    out.println("applied:");
    report.changes().forEach(c -> out.println("  " + c));
    temporal.forEach(c -> out.println("  " + c));
    if (plan.has(ApplyActionKind.WORKER_RELOAD)) {
      out.println("the worker still runs its previous spec (asset graph, models): ./lakehouse apply restarts the"
          + " worker it manages now (drain, then start); restart any other worker with this spec"
          + " (docs/apply.md#the-worker)");
    }
    return 0;
  }
}
