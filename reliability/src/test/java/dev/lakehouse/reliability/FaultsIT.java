package dev.lakehouse.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lakehouse.reliability.oracle.Comparison;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import java.time.Duration;
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
    assertExact(p.scenario("baseline", "none", s -> null));
  }

  @Test
  @Order(2)
  void workerKilledMidMaterialization(Pipeline p) throws Exception {
    assertExact(p.scenario("worker", "SIGKILL of the worker while a model activity runs", s -> {
      String running = await("a model activity reading this scenario's changes").atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(200)).ignoreExceptions() // a child being started is NOT_FOUND briefly
          .until(() -> Workflows.runningModelActivity(p.temporal, s.startMillis()), Optional::isPresent).get();
      long at = System.nanoTime();
      p.worker.kill();
      p.worker.start(p.workerJar(), 300, Pipeline.WORKER_ENV);
      return new Pipeline.Injected(at, (System.nanoTime() - at) / 1e9, "killed while " + running + " ran");
    }));
  }

  static void assertExact(Comparison c) {
    assertThat(c).as("a comparison with the oracle").isNotNull();
    assertThat(c.exact()).as("lakehouse == oracle:%n%s", c.describe(30)).isTrue();
    assertThat(c.lost()).isZero();
    assertThat(c.duplicated()).isZero();
  }
}
