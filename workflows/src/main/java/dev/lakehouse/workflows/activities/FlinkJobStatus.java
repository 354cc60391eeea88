package dev.lakehouse.workflows.activities;

/**
 * The Flink ingest job ({@code state}: a Flink job state, or MISSING when no job with the pipeline name
 * exists); {@code lastCheckpointAgeMillis} is null before the first completed checkpoint.
 */
public record FlinkJobStatus(String jobId, String pipelineName, String state, Long lastCheckpointAgeMillis) {}
