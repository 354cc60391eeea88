package dev.lakehouse.spec;

import java.time.Duration;

/**
 * The worker process ({@code lakehouse.worker}): whether it creates the automation at boot, how long it waits
 * for Temporal when it starts, and how long it lets running tasks finish when it stops.
 */
public record WorkerSpec(boolean automation, Duration connectTimeout, Duration shutdownTimeout) {}
