package dev.lakehouse.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Percentiles by nearest rank: the value below which p % of the samples lie, always a measured sample. */
public final class Stats {
  private Stats() {}

  /** p50/p95/max of n samples (seconds or milliseconds, as given); NaN when empty. */
  public record Summary(int n, double p50, double p95, double max) {
    public static final Summary EMPTY = new Summary(0, Double.NaN, Double.NaN, Double.NaN);
  }

  /**
   * Nearest-rank percentile, {@code 0 < p <= 100}: the ceil(p/100 * n)-th smallest value. A sample that never
   * arrived is {@link Double#POSITIVE_INFINITY} and sorts last, so it counts against the percentile as it should.
   */
  public static double percentile(Collection<Double> values, double p) {
    if (p <= 0 || p > 100) {
      throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
    }
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(1, rank) - 1);
  }

  public static Summary summarize(Collection<Double> values) {
    if (values.isEmpty()) {
      return Summary.EMPTY;
    }
    return new Summary(values.size(), percentile(values, 50), percentile(values, 95), percentile(values, 100));
  }
}
