package dev.lakehouse.workflows.apply;

/** Every kind of change an apply makes; each belongs to one {@link ApplySystem}. */
public enum ApplyActionKind {
  /** {@code CREATE PUBLICATION} over the spec's tables (a fresh source). */
  PUBLICATION_CREATE(ApplySystem.SOURCE, "create publication"),
  /** {@code ALTER PUBLICATION ... ADD TABLE}. */
  PUBLICATION_ADD_TABLE(ApplySystem.SOURCE, "add to publication"),
  /** The connector does not exist: create it from the spec. */
  CONNECTOR_CREATE(ApplySystem.DEBEZIUM, "create connector"),
  /** Add a table to the running connector's {@code table.include.list} (config updated in place, slot kept). */
  CONNECTOR_INCLUDE_TABLE(ApplySystem.DEBEZIUM, "include table"),
  /** Snapshot a table added to a running connector (its rows from before it was captured). */
  CONNECTOR_SNAPSHOT_TABLE(ApplySystem.DEBEZIUM, "snapshot table"),
  /** Remove a table from {@code table.include.list} (with --allow-removal): it stops being captured. */
  CONNECTOR_EXCLUDE_TABLE(ApplySystem.DEBEZIUM, "exclude table"),
  /** Create a raw table (the ingest job appends to it). */
  RAW_TABLE_CREATE(ApplySystem.ICEBERG, "create raw table"),
  /** {@code ALTER TABLE ADD COLUMN} on a parsed table. */
  PARSED_ADD_COLUMN(ApplySystem.ICEBERG, "add column"),
  /** {@code ALTER TABLE ADD COLUMN} on a satellite (appended last: existing hashdiffs are unchanged). */
  SATELLITE_ADD_COLUMN(ApplySystem.ICEBERG, "add column"),
  /** No ingest job runs: submit one. */
  INGEST_JOB_SUBMIT(ApplySystem.FLINK, "submit ingest job"),
  /** The running job's statement set differs from the spec's: stop it with a savepoint, submit the new one. */
  INGEST_JOB_REDEPLOY(ApplySystem.FLINK, "redeploy ingest job"),
  /** A schedule of the spec that the server lacks (health check, maintenance). */
  SCHEDULE_CREATE(ApplySystem.TEMPORAL, "create schedule"),
  /** A schedule whose cron or input (thresholds, freshness policies) differs from the spec's. */
  SCHEDULE_UPDATE(ApplySystem.TEMPORAL, "update schedule"),
  /** A schedule paused by {@code lakehouse automation stop}. */
  SCHEDULE_UNPAUSE(ApplySystem.TEMPORAL, "unpause schedule"),
  /** A schedule the lakehouse made that the spec no longer has. */
  SCHEDULE_DELETE(ApplySystem.TEMPORAL, "delete schedule"),
  /** A cron workflow of an older lakehouse under a schedule's ID: terminated, replaced by the schedule. */
  LEGACY_WORKFLOW_REPLACE(ApplySystem.TEMPORAL, "replace legacy workflow"),
  /** A sensor for a raw table that has none running (a new table). */
  SENSOR_START(ApplySystem.TEMPORAL, "start sensor"),
  /** A running sensor whose interval differs from the spec's (a signal: its cursor stays). */
  SENSOR_UPDATE(ApplySystem.TEMPORAL, "update sensor"),
  /** The sensor of a raw table that left the spec. */
  SENSOR_STOP(ApplySystem.TEMPORAL, "stop sensor"),
  /** The worker runs another spec (asset graph, models): it must load this one. */
  WORKER_RELOAD(ApplySystem.TEMPORAL, "reload");

  private final ApplySystem system;
  private final String verb;

  ApplyActionKind(ApplySystem system, String verb) {
    this.system = system;
    this.verb = verb;
  }

  public ApplySystem system() {
    return system;
  }

  /** How a plan line starts ({@code add to publication public.transactions}). */
  public String verb() {
    return verb;
  }
}
