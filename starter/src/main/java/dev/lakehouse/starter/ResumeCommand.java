package dev.lakehouse.starter;

import dev.lakehouse.workflows.Automation;
import dev.lakehouse.workflows.Lakehouse;
import picocli.CommandLine.Command;

@Command(name = "resume", mixinStandardHelpOptions = true,
    description = {"Start materializing again (signal 'resume' to 'materializer').",
        "Sent with signalWithStart; queued runs start."})
final class ResumeCommand extends TemporalCommand {
  @Override
  int call(TemporalSession session) {
    Automation.setPaused(session.client(), root().spec(), false);
    out().println("resumed workflow '" + Lakehouse.MATERIALIZER_ID + "' on " + session.target());
    return 0;
  }
}
