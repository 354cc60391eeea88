package dev.lakehouse.starter;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowServiceException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that needs the spec and a Temporal connection; translates gRPC failures into one-line messages. */
abstract class TemporalCommand implements Callable<Integer> {
  @Spec
  CommandSpec commandSpec;

  LakehouseCli root() {
    return (LakehouseCli) commandSpec.root().userObject();
  }

  PrintWriter out() {
    return commandSpec.commandLine().getOut();
  }

  @Override
  public final Integer call() {
    LakehouseCli root = root();
    root.spec(); // a bad spec is reported before connecting
    validate();
    try (TemporalSession session = root.connect()) {
      try {
        return call(session);
      } catch (StatusRuntimeException e) {
        throw translate(session, e);
      } catch (WorkflowServiceException e) {
        if (e.getCause() instanceof StatusRuntimeException s) {
          throw translate(session, s);
        }
        throw e;
      }
    } finally {
      out().flush();
    }
  }

  private static CliException translate(TemporalSession session, StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    if (code == Status.Code.UNAVAILABLE) {
      return TemporalSession.unreachable(session.target(), e);
    }
    if (code == Status.Code.NOT_FOUND && String.valueOf(e.getStatus().getDescription()).contains("amespace")) {
      return new CliException("lakehouse: Temporal at " + session.target() + " has no namespace '"
          + session.namespace() + "' (create it, or pass --namespace)");
    }
    return new CliException("lakehouse: Temporal at " + session.target() + " answered " + code + ": "
        + e.getStatus().getDescription() + (code == Status.Code.UNIMPLEMENTED
        ? " (a server without Temporal Schedules: use the temporal CLI's dev server, as ./lakehouse up does)" : ""));
  }

  /** Checks the command's own input before connecting (bad input: a {@link CliException}, exit 2). */
  void validate() {}

  abstract int call(TemporalSession session);
}
