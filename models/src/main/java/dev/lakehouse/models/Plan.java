package dev.lakehouse.models;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The next run of a model: the batch above its watermark and how many input rows it holds. Built from the rows of
 * {@link ModelSql#pendingQuery}: the rows above the watermark now are exactly the rows of the range
 * (watermark, max], so their count and smallest LSN are the batch's, in one round trip.
 */
public record Plan(Batch batch, long rowsIn) {
  /** One row of {@link ModelSql#pendingQuery}: per partition, the highest offset, the row count, the smallest LSN. */
  public record Pending(int partition, long maxOffset, long rows, OptionalLong minLsn) {}

  public static Plan of(Map<Integer, Long> watermark, List<Pending> pending) {
    Map<Integer, Long> max = new TreeMap<>();
    long count = 0;
    OptionalLong minLsn = OptionalLong.empty();
    for (Pending p : pending) {
      max.put(p.partition(), p.maxOffset());
      count += p.rows();
      if (p.minLsn().isPresent()) {
        long lsn = p.minLsn().getAsLong();
        minLsn = OptionalLong.of(minLsn.isPresent() ? Math.min(minLsn.getAsLong(), lsn) : lsn);
      }
    }
    InputRange range = InputRange.next(watermark, max);
    if (range.isEmpty()) {
      return new Plan(new Batch(range, OptionalLong.empty()), 0);
    }
    // rows without an ordering LSN are rejected by the parse model; they must not narrow the bound
    return new Plan(new Batch(range, minLsn), count);
  }

  /**
   * When this batch holds more than {@code maxRows} rows, a smaller range from the same watermark to run first:
   * each partition's offsets cut to the same share {@code maxRows / rowsIn} of its span (at least one offset), so
   * about {@code maxRows} rows when offsets are dense, as Kafka's are. Empty when the batch fits. Running the cut
   * range, recording it and planning again is the same as several consecutive runs, so it is as exact; a backlog
   * larger than one MERGE can hold completes instead of failing every retry.
   */
  public Optional<InputRange> bounded(long maxRows) {
    if (rowsIn <= maxRows || batch.range() == null) {
      return Optional.empty();
    }
    double share = (double) maxRows / rowsIn;
    Map<Integer, InputRange.Bounds> cut = new TreeMap<>();
    batch.range().partitions().forEach((p, b) -> {
      long span = b.toInclusive() - b.fromExclusive();
      long to = b.isEmpty() ? b.toInclusive() : b.fromExclusive() + Math.max(1, (long) Math.floor(span * share));
      cut.put(p, new InputRange.Bounds(b.fromExclusive(), Math.min(b.toInclusive(), to)));
    });
    return Optional.of(InputRange.of(cut));
  }
}
