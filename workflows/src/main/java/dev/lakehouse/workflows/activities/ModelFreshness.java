package dev.lakehouse.workflows.activities;

/**
 * One model: raw rows it has not consumed (upstream included), the commit time of the oldest raw snapshot holding
 * one of them (null: fresh), and why it could not be read (null: it could).
 */
public record ModelFreshness(String asset, long pendingRows, Long staleSinceMillis, String problem) {}
