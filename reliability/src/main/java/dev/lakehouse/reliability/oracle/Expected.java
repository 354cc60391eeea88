package dev.lakehouse.reliability.oracle;

import dev.lakehouse.activities.trino.Oracle;
import dev.lakehouse.activities.trino.RawEvent;
import dev.lakehouse.reliability.workload.Change;
import dev.lakehouse.spec.PipelineSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The exact expected {@code parsed_data} and {@code data_vault} tables for a list of committed changes: each
 * change becomes the raw event Debezium and Flink would land (row image, op, txId; a stand-in LSN that orders a
 * key's changes as PostgreSQL does), and the activities' {@link Oracle} computes the tables from those, in plain
 * Java, independently of the model SQL. Columns that only the running pipeline can know (Kafka coordinates,
 * LSN, load and commit times) are left out of the comparison by {@link Comparison}.
 */
public final class Expected {
  private Expected() {}

  public static Map<String, List<List<String>>> tables(PipelineSpec spec, List<Change> changes) {
    List<RawEvent> events = new ArrayList<>(changes.size());
    long offset = 0;
    for (Change c : changes) {
      events.add(new RawEvent(c.table(), 0, offset++, c.op(), RawEvent.image(c.image()), c.order(), c.txId(),
          c.committedAt().toEpochMilli(), Instant.EPOCH));
    }
    return new Oracle(spec).tables(events);
  }
}
