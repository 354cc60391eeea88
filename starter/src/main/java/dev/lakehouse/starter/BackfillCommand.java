package dev.lakehouse.starter;

import dev.lakehouse.workflows.Automation;
import dev.lakehouse.workflows.BackfillRequest;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.Trigger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "backfill", mixinStandardHelpOptions = true,
    description = {"Re-materialize a selection (signal 'backfill' to 'materializer').",
        "Sent with signalWithStart. With --full-refresh the models are rebuilt from all raw rows instead of",
        "from their watermark."})
final class BackfillCommand extends TemporalCommand {
  @Option(names = {"-s", "--select"}, required = true, paramLabel = "selection",
      description = "Assets to rebuild, e.g. data_vault.s_users+ (x+ adds downstream, +x upstream).")
  String select;

  @Option(names = "--full-refresh", description = "Rebuild from all raw rows (default: incremental).")
  boolean fullRefresh;

  @Override
  int call(TemporalSession session) {
    String selection = select.trim();
    var plan = Selections.plan(root().graph(), selection);
    Automation.backfill(session.client(), root().spec(), new BackfillRequest(selection, fullRefresh,
        "lakehouse backfill", Trigger.BACKFILL));
    out().println("backfill of '" + selection + "' (" + Selections.describe(plan) + (fullRefresh ? ", full refresh"
        : ", incremental") + ") sent to workflow '" + Lakehouse.MATERIALIZER_ID + "' on " + session.target()
        + "; see lakehouse status");
    return 0;
  }
}
