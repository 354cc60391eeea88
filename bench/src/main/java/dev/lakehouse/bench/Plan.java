package dev.lakehouse.bench;

import java.util.List;

/**
 * How much of each measurement a run does. {@code --quick} keeps every figure but takes fewer samples, two rate
 * steps (the 5,000/s target, then 7,500/s) and two history sizes (10,000 and 1,000,000 events); the full run steps
 * the rate up from 250/s until freshness breaks, may halve the first rate once ({@code stepsDown}) if even that
 * fails, and measures three history sizes, up to 1,000,000 events (10,000,000 with {@code --histories}: it does not
 * fit this stack's Trino heap yet, docs/benchmarks.md).
 */
record Plan(boolean quick, int freshUpdates, int freshIntervalMs, int seedUpdates, int seedIntervalMs,
    List<Integer> rates, int stepSeconds, double p95LimitS, List<Long> histories, int newEvents, int repeats, int stepsDown) {

  static Plan quickRun() {
    return new Plan(true, 12, 1000, 10, 6000, List.of(5000, 7500), 60, 60, List.of(10_000L, 1_000_000L), 1000, 2, 0);
  }

  static Plan fullRun() {
    return new Plan(false, 50, 1000, 30, 4000, List.of(250, 500, 1000, 2000, 3500, 5000, 7500, 10_000), 60,
        60, List.of(10_000L, 100_000L, 1_000_000L), 1000, 3, 1);
  }

  Plan withRates(List<Integer> r) {
    return new Plan(quick, freshUpdates, freshIntervalMs, seedUpdates, seedIntervalMs, r, stepSeconds, p95LimitS,
        histories, newEvents, repeats, stepsDown);
  }

  Plan withHistories(List<Long> h) {
    return new Plan(quick, freshUpdates, freshIntervalMs, seedUpdates, seedIntervalMs, rates, stepSeconds, p95LimitS,
        h, newEvents, repeats, stepsDown);
  }
}
