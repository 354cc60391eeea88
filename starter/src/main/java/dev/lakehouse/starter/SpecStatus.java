package dev.lakehouse.starter;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecVersion;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The spec line of {@code lakehouse status}: the version (a fingerprint, {@link SpecVersion}) of the spec the
 * worker runs, read from the identity of the task queue's newest poller ({@code <pid>@<host> spec a1b2c3d4}), and
 * whether the spec file differs from it.
 */
final class SpecStatus {
  /** What precedes the version in a worker's identity (the worker's TemporalModule writes it). */
  static final String MARK = " spec ";

  private SpecStatus() {}

  /** What runs and what the file says. {@code running} empty: no worker of this lakehouse polls (or unknown). */
  record Versions(Optional<String> running, String file, String problem) {
    String line(String taskQueue) {
      if (running.isEmpty()) {
        return "spec: " + file + " in the file; which runs is unknown (" + (problem == null
            ? "no worker polls task queue " + taskQueue : problem) + ")";
      }
      return "spec: " + running.get() + (running.get().equals(file) ? " (the spec file's)"
          : " (file differs: run `lakehouse apply --dry-run`)");
    }
  }

  static Versions versions(TemporalSession session, PipelineSpec spec) {
    String file = SpecVersion.of(spec);
    try {
      List<PollerInfo> pollers = session.client().getWorkflowServiceStubs().blockingStub()
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .describeTaskQueue(DescribeTaskQueueRequest.newBuilder()
              .setNamespace(session.namespace())
              .setTaskQueue(TaskQueue.newBuilder().setName(spec.endpoints().temporal().taskQueue()))
              .setTaskQueueType(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)
              .build())
          .getPollersList();
      return new Versions(newest(pollers), file, null);
    } catch (RuntimeException e) {
      return new Versions(Optional.empty(), file, LakehouseCli.message(e).replaceFirst("^lakehouse: ", ""));
    }
  }

  /** The version in the identity of the poller seen last (a restarted worker's old poller lingers a while). */
  static Optional<String> newest(List<PollerInfo> pollers) {
    return pollers.stream().filter(p -> p.getIdentity().contains(MARK))
        .max(Comparator.comparingLong(p -> p.getLastAccessTime().getSeconds() * 1_000_000_000L
            + p.getLastAccessTime().getNanos()))
        .map(p -> p.getIdentity().substring(p.getIdentity().lastIndexOf(MARK) + MARK.length()).strip());
  }
}
