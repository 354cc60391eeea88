package dev.lakehouse.reliability;

import static dev.lakehouse.reliability.FaultsIT.assertExact;
import static dev.lakehouse.reliability.FaultsIT.awaitUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lakehouse.stack.WorkerProcess;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import dev.lakehouse.workflows.Automation;
import dev.lakehouse.workflows.BackfillRequest;
import dev.lakehouse.workflows.Trigger;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The longer faults, run by {@code ./lakehouse reliability} (the {@code extended} profile), not by the default
 * build: the storage and catalog services down for a minute, crashes of the Kafka broker, the Flink JobManager and
 * PostgreSQL, two faults at once, a full refresh of the vault under the workload, one of two workers killed
 * while it runs a model activity (the other carries on alone), the only worker killed so, and PostgreSQL restarted
 * under the workload. Same shape as
 * {@link FaultsIT}: the workload commits while the fault hits; afterwards the lakehouse must equal the oracle.
 */
@Order(2)
@ExtendWith({LakehouseStackExtension.class, PipelineExtension.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExtendedFaultsIT {
  /** How long a storage or catalog service stays down: longer than a checkpoint and a model run's retries. */
  static final long OUTAGE_MILLIS = 60_000;

  @Test
  @Order(1)
  void kafkaBrokerKilled(Pipeline p) throws Exception {
    assertExact(p, p.scenario("kafka broker", "SIGKILL of the Kafka broker, relaunched", s -> {
      p.awaitTransactions(s, Pipeline.segment().transactions() / 3);
      long at = System.nanoTime();
      long killedAt = System.currentTimeMillis();
      p.stack.kill("kafka");
      p.stack.relaunch("kafka");
      awaitUp("the connector and its task RUNNING", () -> Ingestion.connectorRunning(p));
      awaitUp("a Flink checkpoint completed after the kill", () -> Ingestion.checkpointedSince(p, killedAt));
      return new Pipeline.Injected(at, (System.nanoTime() - at) / 1e9, "service back = the connector RUNNING and a"
          + " Flink checkpoint after the kill; the producer and the Kafka source reconnected");
    }));
  }

  @Test
  @Order(2)
  void flinkJobManagerKilled(Pipeline p) throws Exception {
    assertExact(p, p.scenario("flink jobmanager", "SIGKILL of the Flink JobManager (no HA: the job is lost),"
        + " relaunched", s -> {
      p.awaitTransactions(s, Pipeline.segment().transactions() / 3);
      long at = System.nanoTime();
      long killedAt = System.currentTimeMillis();
      p.stack.kill("flink-jobmanager");
      p.stack.relaunch("flink-jobmanager");
      // the ingestion health schedule finds the job missing and submits it again from the committed offsets
      awaitUp("a Flink checkpoint completed after the kill", () -> Ingestion.checkpointedSince(p, killedAt));
      return new Pipeline.Injected(at, (System.nanoTime() - at) / 1e9, "service back = a checkpoint of a job"
          + " submitted again by the ingestion health check");
    }));
  }

  @Test
  @Order(3)
  void postgresCrashed(Pipeline p) throws Exception {
    assertExact(p, p.scenario("postgresql crash", "SIGKILL of PostgreSQL (postmaster and backends), relaunched:"
        + " crash recovery", s -> {
      p.awaitTransactions(s, Pipeline.segment().transactions() / 3);
      long at = System.nanoTime();
      p.stack.kill("postgres");
      p.stack.relaunch("postgres");
      awaitUp("the connector and its task RUNNING", () -> Ingestion.connectorRunning(p));
      return new Pipeline.Injected(at, (System.nanoTime() - at) / 1e9, "service back = PostgreSQL recovered and the"
          + " connector task RUNNING; transactions in flight at the kill were never committed");
    }));
  }

  @Test
  @Order(4)
  void icebergCatalogDownForAMinute(Pipeline p) throws Exception {
    assertExact(p, down(p, "iceberg rest catalog", "iceberg-rest", "Flink commits and model runs failed and were"
        + " retried meanwhile"));
  }

  @Test
  @Order(5)
  void objectStorageDownForAMinute(Pipeline p) throws Exception {
    assertExact(p, down(p, "s3", "s3", "data files and metadata could not be written meanwhile"));
  }

  /** A storage service gone for {@link #OUTAGE_MILLIS}, then relaunched: back once a Flink checkpoint commits. */
  private static dev.lakehouse.reliability.oracle.Comparison down(Pipeline p, String name, String process,
      String meanwhile) throws Exception {
    return p.scenario(name, "the " + name + " service down " + OUTAGE_MILLIS / 1000 + " s", s -> {
      p.awaitTransactions(s, Pipeline.segment().transactions() / 4);
      long at = System.nanoTime();
      long killedAt = System.currentTimeMillis();
      p.stack.kill(process);
      Thread.sleep(OUTAGE_MILLIS);
      p.stack.relaunch(process);
      awaitUp("a Flink checkpoint completed after the outage", () -> Ingestion.checkpointedSince(p, killedAt));
      return new Pipeline.Injected(at, (System.nanoTime() - at) / 1e9, "down " + OUTAGE_MILLIS / 1000
          + " s; service back = a Flink checkpoint committed again; " + meanwhile);
    });
  }

  @Test
  @Order(6)
  void workerAndTaskManagerKilledTogether(Pipeline p) throws Exception {
    assertExact(p, p.scenario("worker + flink taskmanager", "SIGKILL of the worker and the Flink TaskManager at"
        + " once, both relaunched", s -> {
      p.awaitTransactions(s, Pipeline.segment().transactions() / 3);
      long at = System.nanoTime();
      long killedAt = System.currentTimeMillis();
      p.worker.kill();
      p.stack.kill("flink-taskmanager");
      p.stack.relaunch("flink-taskmanager");
      p.worker.start(p.workerJar(), 300, Pipeline.WORKER_ENV);
      awaitUp("a Flink checkpoint completed after the kill", () -> Ingestion.checkpointedSince(p, killedAt));
      return new Pipeline.Injected(at, (System.nanoTime() - at) / 1e9, "service back = the worker polling and a"
          + " checkpoint after the kill");
    }));
  }

  @Test
  @Order(7)
  void fullRefreshOfTheVaultUnderTheWorkload(Pipeline p) throws Exception {
    Instant before = Instant.now();
    assertExact(p, p.scenario("backfill under load", "lakehouse backfill --select 'data_vault.*' --full-refresh"
        + " while the workload commits", s -> {
      p.awaitTransactions(s, Pipeline.segment().transactions() / 3);
      long at = System.nanoTime();
      Automation.backfill(WorkflowClient.newInstance(p.temporal), p.spec, new BackfillRequest("data_vault.*", true,
          "reliability: full refresh under load", Trigger.BACKFILL));
      return new Pipeline.Injected(at, 0, "the vault rebuilt from parsed while sensors kept requesting runs");
    }));
    String since = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC).format(before);
    long refreshed = p.lakehouse.count("SELECT count(DISTINCT asset) FROM iceberg.ops.materializations WHERE"
        + " full_refresh AND asset LIKE 'data_vault.%' AND started_at >= TIMESTAMP '" + since + " UTC'");
    assertThat(refreshed).as("vault models rebuilt by the full refresh").isPositive().isEqualTo(vaultModels(p));
  }

  /**
   * Two worker processes on the task queue, as two replicas would be; the one running a model activity of the
   * scenario is killed and not brought back during the scenario, so the other must finish the run alone: the killed
   * activity is retried on it after its heartbeat timeout, and the workflow tasks the dead worker held (sticky) move
   * to the task queue. Afterwards the suite goes on with one worker again.
   */
  @Test
  @Order(8)
  void oneOfTwoWorkersKilled(Pipeline p) throws Exception {
    WorkerProcess second = new WorkerProcess(p.stack, "worker-2");
    try {
      second.start(p.workerJar(), 300, Pipeline.WORKER_ENV);
      long[] killed = new long[1];
      assertExact(p, p.scenario("one of two workers", "two workers on the task queue; SIGKILL of the one running a"
          + " model activity, not relaunched", s -> {
        Workflows.RunningActivity running = await("a model activity reading this scenario's changes")
            .atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
            .until(() -> Workflows.runningModelActivityAndWorker(p.temporal, s.startMillis()), Optional::isPresent)
            .get();
        WorkerProcess victim = running.workerPid() == second.pid() ? second : p.worker;
        assertThat(victim.pid()).as("the worker running %s (%s) is one of ours", running.description(),
            running.workerIdentity()).isEqualTo(running.workerPid());
        long at = System.nanoTime();
        killed[0] = victim.pid();
        victim.kill();
        return new Pipeline.Injected(at, 0, "killed pid " + killed[0] + " while " + running.description() + " ran;"
            + " the other worker finished the run");
      }));
      assertThat(killed[0]).isPositive();
    } finally {
      second.stop();
      p.worker.start(p.workerJar(), 300, Pipeline.WORKER_ENV); // a no-op when the killed one was the second
    }
  }

  /** Also in the default build, as the e2e module's {@code WorkerCrashIT} (on the seed scenario, not a workload). */
  @Test
  @Order(9)
  void workerKilledMidMaterialization(Pipeline p) throws Exception {
    assertExact(p, p.scenario("worker", "SIGKILL of the worker while a model activity runs", s -> {
      String running = await("a model activity reading this scenario's changes").atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(200)).ignoreExceptions() // a child being started is NOT_FOUND briefly
          .until(() -> Workflows.runningModelActivity(p.temporal, s.startMillis()), Optional::isPresent).get();
      long at = System.nanoTime();
      p.worker.kill();
      p.worker.start(p.workerJar(), 300, Pipeline.WORKER_ENV);
      return new Pipeline.Injected(at, (System.nanoTime() - at) / 1e9, "killed while " + running + " ran");
    }));
  }

  @Test
  @Order(10)
  void postgresRestartedUnderWrites(Pipeline p) throws Exception {
    assertExact(p, p.scenario("postgresql", "PostgreSQL stopped (fast) and restarted under the workload", s -> {
      p.awaitTransactions(s, Pipeline.segment().transactions() / 3);
      long at = System.nanoTime();
      p.stack.restart("postgres");
      awaitUp("the connector and its task RUNNING", () -> Ingestion.connectorRunning(p));
      return new Pipeline.Injected(at, (System.nanoTime() - at) / 1e9, "service back = PostgreSQL up and the connector"
          + " task RUNNING; the workload rode out the outage");
    }));
  }

  private static long vaultModels(Pipeline p) throws Exception {
    return p.lakehouse.count("SELECT count(DISTINCT asset) FROM iceberg.ops.materializations WHERE asset LIKE"
        + " 'data_vault.%'");
  }
}
