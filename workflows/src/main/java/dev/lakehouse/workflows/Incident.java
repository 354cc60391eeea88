package dev.lakehouse.workflows;

/**
 * Something wrong that lasts: open from {@code sinceMillis} until its source reports it no longer. Keyed by its
 * {@code scope} (who reports it: {@code health}, {@code maintenance-vault}, {@code materializer}), {@code kind} and
 * {@code asset}; {@code workflowId} is the run that saw it (the alert links to it).
 */
public record Incident(String scope, Kind kind, String asset, String message, long sinceMillis, String workflowId) {

  /** What went wrong. */
  public enum Kind {
    /** A model lags more than its freshness policy allows. */
    FRESHNESS_VIOLATED,
    /** A model's run failed after its last retry. */
    MODEL_FAILED,
    /** A maintenance run failed. */
    MAINTENANCE_FAILED,
    /** The connector or a task, the Flink job or its checkpoints, or the replication slot is not healthy. */
    INGESTION_UNHEALTHY
  }

  /** The identity of an incident: one alert when it opens, one when it resolves, none in between. */
  public String key() {
    return scope + "|" + kind + "|" + asset;
  }
}
