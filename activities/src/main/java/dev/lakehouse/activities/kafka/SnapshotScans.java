package dev.lakehouse.activities.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.spec.PipelineSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Debezium's notification topic ({@code <topic-prefix>-notification}, its {@code sink} channel): the outcome of each
 * incremental snapshot of a table, a {@code TABLE_SCAN_COMPLETED} notification whose status says whether the table was
 * read ({@code SUCCEEDED}, {@code EMPTY}) or skipped ({@code SQL_EXCEPTION}, {@code UNKNOWN_SCHEMA},
 * {@code NO_PRIMARY_KEY}, {@code SKIPPED}). Debezium logs a skipped table at WARN and streams on; without this
 * topic the skip would be silent: a table captured without its existing rows.
 */
public final class SnapshotScans {
  /** Statuses of a table that was read to its end. */
  private static final Set<String> READ = Set.of("SUCCEEDED", "EMPTY");

  private SnapshotScans() {}

  /**
   * One table's scan as Debezium reported it: {@code id} is the snapshot's correlation id (the id of a signal of
   * the same snapshot: a signal that arrives while one runs joins it), {@code table} without the spec's schema,
   * {@code rows} Debezium's {@code total_rows_scanned} (it adds up the rows of a skipped attempt and its retry).
   */
  public record Scan(String id, String table, String status, long rows) {
    public boolean read() {
      return READ.contains(status);
    }
  }

  public static String topic(PipelineSpec spec) {
    return spec.source().topicPrefix() + "-notification";
  }

  /** Every table scan Debezium reported, in topic order; none when the topic does not exist yet. */
  public static List<Scan> read(PipelineSpec spec) throws ExecutionException, TimeoutException, InterruptedException {
    if (!TopicRecords.exists(spec, topic(spec))) {
      return List.of();
    }
    return parse(spec.source().schema(), TopicRecords.readAll(spec, topic(spec)).stream().map(Map.Entry::getValue)
        .toList());
  }

  /** The {@code TABLE_SCAN_COMPLETED} notifications among {@code values}; anything else is skipped. */
  static List<Scan> parse(String schema, List<String> values) {
    List<Scan> scans = new ArrayList<>();
    for (String value : values) {
      JsonNode n = SnapshotSignals.parse(value);
      if (n == null || !"TABLE_SCAN_COMPLETED".equals(n.path("type").asText())) {
        continue;
      }
      JsonNode data = n.path("additional_data");
      String table = SnapshotSignals.table(schema, data.path("scanned_collection").asText(""));
      scans.add(new Scan(n.path("id").asText(""), table, data.path("status").asText("UNKNOWN"),
          data.path("total_rows_scanned").asLong(0)));
    }
    return scans;
  }
}
