package dev.lakehouse.models;

import java.util.List;
import java.util.Map;
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
}
