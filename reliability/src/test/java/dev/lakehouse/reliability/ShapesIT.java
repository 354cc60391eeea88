package dev.lakehouse.reliability;

import static dev.lakehouse.reliability.FaultsIT.assertExact;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.reliability.workload.BankWorkload;
import dev.lakehouse.reliability.workload.Shapes;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Row shapes the random workload never writes ({@link Shapes}: a primary-key update, a delete and re-insert of one
 * key, NULLs, values stored by TOAST, unicode and escapes, decimal extremes, whitespace- and case-only changes),
 * written while a workload segment runs: the lakehouse must equal the oracle, and none of them is rejected.
 */
@Order(3)
@ExtendWith({LakehouseStackExtension.class, PipelineExtension.class})
class ShapesIT {
  @Test
  void rowShapesTheWorkloadNeverWritesReachTheModelsExactly(Pipeline p) throws Exception {
    long rejectedBefore = p.rejected();
    var pg = p.endpoints.postgres();
    Shapes shapes = new Shapes(new BankWorkload.Jdbc(pg.jdbcUrl(), pg.user(), pg.password()), p.workload.log(),
        Pipeline.SEED);
    int[] written = new int[1];
    assertExact(p.scenario("row shapes", "primary-key update, delete and re-insert, NULLs, TOAST, unicode,"
        + " decimal extremes, whitespace- and case-only changes", s -> {
          long at = System.nanoTime();
          written[0] = shapes.run();
          return new Pipeline.Injected(at, 0, written[0] + " changes of the shapes");
        }));
    assertThat(written[0]).isPositive();
    assertThat(p.rejected()).as("no shape is bad input").isEqualTo(rejectedBefore);
  }
}
