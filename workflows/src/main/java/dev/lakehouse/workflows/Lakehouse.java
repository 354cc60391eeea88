package dev.lakehouse.workflows;

/** The fixed workflow IDs (docs/architecture.md#workflows). The task queue is the spec's ({@code lakehouse.endpoints.temporal.task-queue}). */
public final class Lakehouse {
  public static final String INGESTION_SETUP_ID = "ingestion-setup";
  public static final String INGESTION_HEALTH_ID = "ingestion-health";
  public static final String MATERIALIZER_ID = "materializer";
  public static final String MAINTENANCE_VAULT_ID = "maintenance-vault";
  public static final String MAINTENANCE_RAW_PARSED_ID = "maintenance-raw-parsed";
  public static final String MAINTENANCE_EXTENDED_STATS_ID = "maintenance-extended-stats";
  /** The long-running workflow holding the open incidents (alerts). */
  public static final String INCIDENTS_ID = "incidents";

  /** On-demand check runs ({@code lakehouse checks}) are {@code checks-<uuid>}. */
  public static final String CHECKS_PREFIX = "checks-";

  private Lakehouse() {}

  /** {@code sensor-raw_data.users} */
  public static String sensorId(String rawTableKey) {
    return "sensor-" + rawTableKey;
  }
}
