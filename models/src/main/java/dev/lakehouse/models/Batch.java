package dev.lakehouse.models;

import java.util.OptionalLong;

/**
 * The input rows of one model run: a Kafka offset {@link InputRange} of the model's input table (null means
 * every row, used only to print SQL offline), and the smallest source LSN among those rows when known. The
 * LSN bound lets MERGEs skip target files whose rows are all older (their min/max statistics), which keeps
 * the cost of a run flat as history grows (docs/architecture.md#flat-cost-as-history-grows); it never changes
 * the result, because a row the MERGE could match carries an LSN of the batch.
 */
public record Batch(InputRange range, OptionalLong minLsn) {
  public static Batch all() {
    return new Batch(null, OptionalLong.empty());
  }

  public static Batch of(InputRange range, long minLsn) {
    return new Batch(range, OptionalLong.of(minLsn));
  }

  /** The rows of the batch, with columns qualified by {@code alias} (or none). */
  public String filter(String alias) {
    return range == null ? "TRUE" : range.predicate(alias);
  }

  /** {@code AND <alias>.source_lsn >= <min>} when the bound is known, else empty. */
  public String lsnBound(String alias) {
    return minLsn.isPresent() ? "\n  AND " + alias + ".source_lsn >= " + minLsn.getAsLong() : "";
  }
}
