package dev.lakehouse.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lakehouse.reliability.oracle.Comparison;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import dev.lakehouse.workflows.AssetMaterialization;
import dev.lakehouse.workflows.MaterializerStatus;
import dev.lakehouse.workflows.PendingRun;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Faults under a running workload, one service at a time on one shared stack: each scenario's workload commits
 * while the fault is injected, the service comes back, and the lakehouse must then equal the oracle over every
 * change committed since the suite began: nothing lost, nothing duplicated.
 */
@Order(1)
@ExtendWith({LakehouseStackExtension.class, PipelineExtension.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT {

  @Test
  @Order(1)
  void baselineWithoutFault(Pipeline p) throws Exception {
    assertExact(p, p.scenario("baseline", "none", s -> null));
  }

  @Test
  @Order(2)
  void kafkaConnectKilledAndRestarted(Pipeline p) throws Exception {
    assertExact(p, p.scenario("kafka connect", "SIGKILL of Kafka Connect (Debezium), restarted", s -> {
      p.awaitTransactions(s, Pipeline.segment().transactions() / 3);
      long at = System.nanoTime();
      p.stack.kill("connect");
      p.stack.relaunch("connect");
      awaitUp("the connector and its task RUNNING", () -> Ingestion.connectorRunning(p));
      return new Pipeline.Injected(at, (System.nanoTime() - at) / 1e9,
          "service back = connector task RUNNING again; Debezium resumed from its last flushed offset");
    }));
  }

  @Test
  @Order(3)
  void flinkTaskManagerKilled(Pipeline p) throws Exception {
    assertExact(p, p.scenario("flink taskmanager", "SIGKILL of the Flink TaskManager, relaunched", s -> {
      p.awaitTransactions(s, Pipeline.segment().transactions() / 3);
      long at = System.nanoTime();
      long killedAt = System.currentTimeMillis();
      p.stack.kill("flink-taskmanager");
      p.stack.relaunch("flink-taskmanager");
      awaitUp("a Flink checkpoint completed after the kill", () -> Ingestion.checkpointedSince(p, killedAt));
      return new Pipeline.Injected(at, (System.nanoTime() - at) / 1e9, "service back = a checkpoint completed after"
          + " the kill; the job restarted from its last checkpoint on the new TaskManager");
    }));
  }

  @Test
  @Order(4)
  void trinoRestartedMidRun(Pipeline p) throws Exception {
    assertExact(p, p.scenario("trino", "Trino stopped and restarted while a model activity runs", s -> {
      String running = await("a model activity reading this scenario's changes").atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(() -> Workflows.runningModelActivity(p.temporal, s.startMillis()), Optional::isPresent).get();
      long at = System.nanoTime();
      double back = p.stack.restart("trino");
      return new Pipeline.Injected(at, back, "restarted while " + running + " ran; the activity retried");
    }));
  }

  @Test
  @Order(5)
  void temporalKilledAndRestarted(Pipeline p) throws Exception {
    assertExact(p, p.scenario("temporal", "SIGKILL of the Temporal dev server, relaunched", s -> {
      p.awaitTransactions(s, Pipeline.segment().transactions() / 3);
      MaterializerStatus before = Workflows.coordinatorStatus(p.temporal);
      long at = System.nanoTime();
      p.stack.kill("temporal");
      p.stack.relaunch("temporal");
      double back = (System.nanoTime() - at) / 1e9;
      // the dev server keeps its history in SQLite: the coordinator must come back with its state, not be
      // re-created (which would restart its counters and drop its queue)
      MaterializerStatus after = await("the coordinator answers its status query").atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
          .until(() -> Workflows.coordinatorStatus(p.temporal), Objects::nonNull);
      assertKeptState(before, after);
      return new Pipeline.Injected(at, back, "the coordinator resumed from its persisted history (" + before.runsCompleted()
          + " runs done before the kill, " + after.runsCompleted() + " after, queue " + before.queue().size() + " -> "
          + after.queue().size() + ")");
    }));
  }

  /** Counters never go back, the last materialization of each model stays, the queue is not dropped. */
  static void assertKeptState(MaterializerStatus before, MaterializerStatus after) {
    assertThat(after.runsCompleted()).as("runs completed").isGreaterThanOrEqualTo(before.runsCompleted());
    assertThat(after.runsFailed()).as("runs failed").isGreaterThanOrEqualTo(before.runsFailed());
    for (AssetMaterialization m : before.materializations()) {
      assertThat(after.materializations()).as("last materialization of %s", m.assetKey())
          .anySatisfy(a -> {
            assertThat(a.assetKey()).isEqualTo(m.assetKey());
            assertThat(a.atMillis()).isGreaterThanOrEqualTo(m.atMillis());
          });
    }
    long runsSince = after.runsCompleted() + after.runsFailed() - before.runsCompleted() - before.runsFailed();
    for (PendingRun queued : before.queue()) {
      boolean still = after.queue().stream().anyMatch(r -> r.selections().containsAll(queued.selections()))
          || (after.running() != null && after.running().selections().containsAll(queued.selections()));
      assertThat(still || runsSince > 0).as("%s, queued before the kill, is still queued or running, or a run"
          + " finished since", queued.selections()).isTrue();
    }
  }

  static void awaitUp(String what, java.util.concurrent.Callable<Boolean> condition) {
    await(what).atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .until(condition);
  }

  static void assertExact(Comparison c) {
    assertThat(c).as("a comparison with the oracle").isNotNull();
    assertThat(c.exact()).as("lakehouse == oracle:%n%s", c.describe(30)).isTrue();
    assertThat(c.lost()).isZero();
    assertThat(c.duplicated()).isZero();
  }

  /** {@link #assertExact(Comparison)}, and no rejected row: these scenarios commit only valid changes. */
  static void assertExact(Pipeline p, Comparison c) throws java.sql.SQLException {
    assertExact(c);
    assertThat(p.rejected()).as("rows in the rejected tables (no bad input before BadInputIT)").isZero();
  }
}
