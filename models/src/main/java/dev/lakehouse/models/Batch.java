package dev.lakehouse.models;

import dev.lakehouse.workflows.activities.WrittenData;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The input rows of one model run: a Kafka offset {@link InputRange} of the model's input table (null means
 * every row, used only to print SQL offline), and the smallest source LSN among those rows when known. The
 * LSN bound lets MERGEs skip target files whose rows are all older (their min/max statistics), which keeps
 * the cost of a run flat as history grows (docs/architecture.md#flat-cost-as-history-grows); it never changes
 * the result, because a row the MERGE could match carries an LSN of the batch. A user model has no load batch: what
 * its checks look at after an incremental run is the rows it wrote ({@code written}, what the run reported, read by
 * {@link WrittenRowsSql}; with an empty range).
 */
public record Batch(InputRange range, OptionalLong minLsn, Optional<WrittenData> written) {
  public Batch(InputRange range, OptionalLong minLsn) {
    this(range, minLsn, Optional.empty());
  }

  /** What a user model's checks look at after its incremental run: the rows it wrote. */
  public static Batch written(WrittenData rows) {
    return new Batch(InputRange.empty(), OptionalLong.empty(), Optional.of(rows));
  }

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
