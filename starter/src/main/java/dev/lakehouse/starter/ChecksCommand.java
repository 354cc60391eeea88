package dev.lakehouse.starter;

import dev.lakehouse.workflows.AssetChecksInput;
import dev.lakehouse.workflows.AssetChecksOutcome;
import dev.lakehouse.workflows.AssetChecksWorkflow;
import dev.lakehouse.workflows.Automation;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.activities.AssetCheckReport;
import dev.lakehouse.workflows.activities.AssetCheckResult;
import dev.lakehouse.workflows.assets.Selection;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.io.PrintWriter;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "checks", mixinStandardHelpOptions = true,
    description = {"Run the data checks of models now and print their results (docs/models.md#checks).",
        "Starts workflow 'checks-<uuid>' (AssetChecksWorkflow) and waits for it: one activity per model on the",
        "worker, results recorded in ops.asset_checks like those of a run. Without --full each model's checks look",
        "at the batch of its latest materialization; with --full at whole tables. Exit code 1 when a check of",
        "severity error fails or a model's checks could not run."})
final class ChecksCommand extends TemporalCommand {
  @Option(names = {"-s", "--select"}, paramLabel = "selection",
      description = "Models to check: x, x+, +x, +x+, kind:model, globs (data_vault.*), comma lists."
          + " Default: every model.")
  String select;

  @Option(names = "--full", description = "Check whole tables instead of each model's latest batch.")
  boolean full;

  @Option(names = "--timeout", paramLabel = "seconds", defaultValue = "600",
      description = "Stop waiting after this many seconds (default ${DEFAULT-VALUE}); the workflow goes on.")
  long timeoutSeconds;

  @Override
  int call(TemporalSession session) {
    String selection = Selection.orAllModels(select);
    var plan = Selections.plan(root().graph(), selection);
    String id = Lakehouse.CHECKS_PREFIX + UUID.randomUUID();
    PrintWriter out = out();
    out.println("checking " + Selections.describe(plan) + (full ? " over whole tables" : " (latest batch of each)")
        + " in workflow '" + id + "' on " + session.target());
    out.flush();
    AssetChecksWorkflow wf = session.client().newWorkflowStub(AssetChecksWorkflow.class,
        Automation.options(root().spec(), id));
    WorkflowClient.start(wf::run, new AssetChecksInput(plan.assetKeys(), full));
    AssetChecksOutcome outcome;
    try {
      outcome = WorkflowStub.fromTyped(wf).getResult(Math.max(1, timeoutSeconds), TimeUnit.SECONDS,
          AssetChecksOutcome.class);
    } catch (TimeoutException e) {
      throw new CliException("lakehouse: workflow '" + id + "' still runs after " + timeoutSeconds + " s (is the"
          + " worker up? ./lakehouse status); its results will be in ops.asset_checks and lakehouse status");
    }
    boolean failed = print(out, outcome);
    return failed ? CliException.FAILED : 0;
  }

  /** One block per model, one line per check; true when an error check failed or a model could not be checked. */
  static boolean print(PrintWriter out, AssetChecksOutcome outcome) {
    boolean failed = !outcome.errors().isEmpty();
    for (AssetCheckReport r : outcome.reports()) {
      if (r.results().isEmpty()) {
        out.println(r.assetKey() + ": not materialized yet, nothing to check (--full checks the table as it is)");
        continue;
      }
      out.println(r.assetKey() + ": " + r.results().size() + " checks, " + r.failed().size() + " failing");
      for (AssetCheckResult c : r.results()) {
        out.println("  " + (c.passed() ? "PASS " : c.severity() == dev.lakehouse.spec.CheckSeverity.WARN ? "WARN "
            : "FAIL ") + c.describe().replaceFirst(": passed$", ""));
      }
      failed |= !r.failedErrors().isEmpty();
    }
    outcome.errors().forEach((asset, why) -> out.println(asset + ": checks could not run: " + why));
    return failed;
  }
}
