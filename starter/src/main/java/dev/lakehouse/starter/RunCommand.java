package dev.lakehouse.starter;

import dev.lakehouse.workflows.Automation;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.MaterializeRequest;
import dev.lakehouse.workflows.Trigger;
import dev.lakehouse.workflows.assets.Selection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Materialize now, incrementally (signal 'request' to 'materializer').",
        "Sent with signalWithStart, so it also starts the coordinator. The coordinator coalesces requests and",
        "runs one materialization at a time; follow it with lakehouse status or in the Temporal Web UI."})
final class RunCommand extends TemporalCommand {
  @Option(names = {"-s", "--select"}, paramLabel = "selection",
      description = "Assets to materialize: x, x+, +x, +x+, kind:model, globs (data_vault.*), comma lists."
          + " Default: every model.")
  String select;

  @Override
  int call(TemporalSession session) {
    String selection = Selection.orAllModels(select);
    var plan = Selections.plan(root().graph(), selection);
    Automation.request(session.client(), root().spec(), new MaterializeRequest(selection, "lakehouse run",
        Trigger.CLI));
    out().println("requested '" + selection + "' (" + Selections.describe(plan) + ") from workflow '"
        + Lakehouse.MATERIALIZER_ID + "' on " + session.target() + "; see lakehouse status");
    return 0;
  }
}
