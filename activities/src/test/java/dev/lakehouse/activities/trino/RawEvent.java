package dev.lakehouse.activities.trino;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakehouse.models.OpsSql;
import dev.lakehouse.models.Sql;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of {@code raw_data.<table>} as Flink writes it: the row image as JSON text, the Debezium source
 * fields and the Kafka coordinates. Tests build these and insert them directly into the raw tables; the
 * reliability suite builds them from the changes it committed, for the {@link Oracle}.
 */
public record RawEvent(String table, int partition, long offset, String op, String data, Long lsn, Long txId, Long tsMs,
    Instant ingestedAt) {
  static final ObjectMapper JSON = new ObjectMapper();

  /** Partition 0, landed at {@code ingestedAt}. */
  RawEvent(String table, long offset, String op, String data, Long lsn, Long txId, Long tsMs, Instant ingestedAt) {
    this(table, 0, offset, op, data, lsn, txId, tsMs, ingestedAt);
  }

  /** A Debezium-shaped row image: {@code values} in order, JSON numbers for Long/Integer, strings otherwise. */
  public static String image(Map<String, Object> values) {
    ObjectNode node = JSON.createObjectNode();
    values.forEach((k, v) -> {
      if (v == null) {
        node.putNull(k);
      } else if (v instanceof Long l) {
        node.put(k, l);
      } else if (v instanceof Integer i) {
        node.put(k, i);
      } else {
        node.put(k, v.toString());
      }
    });
    return node.toString();
  }

  static Map<String, Object> row(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** The same event delivered again (Debezium at-least-once) at another offset, landing later. */
  RawEvent redelivered(long newOffset, Instant newIngestedAt) {
    return new RawEvent(table, partition, newOffset, op, data, lsn, txId, tsMs, newIngestedAt);
  }

  /** Trino {@code VALUES} row for {@code INSERT INTO raw_data.<table>} in {@code RawColumns.NAMES} order. */
  String valuesRow() {
    return "(" + Sql.string(data) + ", " + Sql.string(op) + ", " + num(tsMs) + ", " + num(tsMs) + ", " + num(txId) + ", "
        + num(lsn) + ", 'postgresql', 'bank', 'public', " + Sql.string(table) + ", " + partition + ", " + offset + ", "
        + OpsSql.timestamp(ingestedAt.minusMillis(3)) + ", " + OpsSql.timestamp(ingestedAt) + ")";
  }

  private static String num(Long v) {
    return v == null ? "NULL" : v.toString();
  }
}
