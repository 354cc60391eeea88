package dev.lakehouse.reliability.workload;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row change the workload committed to the source, as Debezium reports it: {@code op} c, u or d and the row
 * image (after for c and u, before for d; the table's columns, dates as days since 1970-01-01 like Debezium).
 * {@code commitSeq} numbers transactions in commit order and {@code statement} the changes within one, so
 * (commitSeq, statement) is the order PostgreSQL gives a key's changes; {@code txId} is PostgreSQL's
 * {@code txid_current()}, which Debezium reports as {@code source.txId}.
 */
public record Change(String table, String op, Map<String, Object> image, long txId, long commitSeq, int statement,
    Instant committedAt) {
  public Change {
    image = Collections.unmodifiableMap(new LinkedHashMap<>(image));
  }

  /** The primary key (both tables are keyed by {@code id}). */
  public String id() {
    return String.valueOf(image.get("id"));
  }

  /** A number that orders changes as the source's LSNs order one key's changes (commit order, then statement). */
  public long order() {
    return commitSeq * 10_000L + statement;
  }
}
