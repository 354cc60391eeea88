package dev.lakehouse.workflows;

/**
 * One model against its freshness policy at a health check: its lag ({@code 0} fresh), the most it may lag, and,
 * when {@code violated}, since when (the moment its lag passed the max: the oldest unconsumed snapshot plus the max
 * lag). {@code problem}: its freshness could not be read.
 */
public record FreshnessVerdict(String asset, long lagMillis, long maxLagMillis, long pendingRows, boolean violated,
    Long violatedSinceMillis, String problem) {}
