/**
 * Activity implementations, one package per outside system. Shared: {@link dev.lakehouse.activities.Failures}
 * maps exceptions to retryable or non-retryable {@code ApplicationFailure}s naming the asset;
 * {@link dev.lakehouse.activities.Heartbeats} sends heartbeats.
 */
package dev.lakehouse.activities;
