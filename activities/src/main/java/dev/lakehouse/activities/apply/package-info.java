/**
 * {@code lakehouse apply}'s activities: they call each system's package (source, connect, iceberg, flink) with the
 * worker's spec carrying the structure being applied, and touch no client themselves.
 */
package dev.lakehouse.activities.apply;
