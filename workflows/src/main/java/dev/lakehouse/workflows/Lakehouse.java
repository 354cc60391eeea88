package dev.lakehouse.workflows;

/** The fixed workflow IDs (docs/architecture.md#workflows). The task queue is the spec's ({@code lakehouse.endpoints.temporal.task-queue}). */
public final class Lakehouse {
  public static final String INGESTION_SETUP_ID = "ingestion-setup";
  public static final String INGESTION_HEALTH_ID = "ingestion-health";
  public static final String MATERIALIZER_ID = "materializer";
  public static final String MAINTENANCE_VAULT_ID = "maintenance-vault";
  public static final String MAINTENANCE_RAW_PARSED_ID = "maintenance-raw-parsed";
  public static final String MAINTENANCE_EXTENDED_STATS_ID = "maintenance-extended-stats";
  public static final String MAINTENANCE_COMPACT_RAW_ID = "maintenance-compact-raw";
  public static final String MAINTENANCE_METADATA_ID = "maintenance-metadata";
  public static final String MAINTENANCE_EXPIRE_MODELS_ID = "maintenance-expire-models";
  public static final String MAINTENANCE_EXPIRE_RAW_ID = "maintenance-expire-raw";
  /** The long-running workflow holding the open incidents (alerts). */
  public static final String INCIDENTS_ID = "incidents";

  /**
   * The schedule of the whole-table checks of every model ({@code lakehouse.schedules.checks-full-cron}); its runs
   * are {@code checks-full-<time>}.
   */
  public static final String CHECKS_FULL_ID = "checks-full";
  /** On-demand check runs ({@code lakehouse checks}) are {@code checks-<uuid>}. */
  public static final String CHECKS_PREFIX = "checks-";
  /** {@code lakehouse apply}: one at a time (a second one while one runs is refused by the ID). */
  public static final String SPEC_APPLY_ID = "spec-apply";
  /** The ingest job's name without its fingerprint (a job submitted before fingerprints has just this). */
  public static final String INGEST_JOB_PREFIX = "lakehouse-ingest";

  private Lakehouse() {}

  /** {@code lakehouse-ingest-<fingerprint>}: the job name carries the fingerprint of its statement set. */
  public static String ingestJobName(String fingerprint) {
    return fingerprint == null || fingerprint.isEmpty() ? INGEST_JOB_PREFIX : INGEST_JOB_PREFIX + "-" + fingerprint;
  }

  /** {@code schedule-marts.user_balances}: the schedule of a model with a cron of its own. */
  public static String modelScheduleId(String modelKey) {
    return "schedule-" + modelKey;
  }

  /** {@code sensor-raw_data.users} */
  public static String sensorId(String rawTableKey) {
    return "sensor-" + rawTableKey;
  }
}
