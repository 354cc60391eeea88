package dev.lakehouse.starter;

import dev.lakehouse.workflows.Automation;
import dev.lakehouse.workflows.Lakehouse;
import picocli.CommandLine.Command;

@Command(name = "pause", mixinStandardHelpOptions = true,
    description = {"Stop starting materializations (signal 'pause' to 'materializer').",
        "Sent with signalWithStart. Requests keep queueing (and coalescing); a run in progress finishes.",
        "Undo with lakehouse resume."})
final class PauseCommand extends TemporalCommand {
  @Override
  int call(TemporalSession session) {
    Automation.setPaused(session.client(), root().spec(), true);
    out().println("paused workflow '" + Lakehouse.MATERIALIZER_ID + "' on " + session.target()
        + ": requests queue until lakehouse resume");
    return 0;
  }
}
