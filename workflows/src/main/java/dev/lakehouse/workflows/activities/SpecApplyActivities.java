package dev.lakehouse.workflows.activities;

import dev.lakehouse.spec.SpecStructure;
import dev.lakehouse.workflows.apply.ApplyAction;
import dev.lakehouse.workflows.apply.ObservedState;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/**
 * {@code lakehouse apply}: read what runs, and bring each system to a desired structure (the worker's endpoints,
 * source and schedules with the structure the apply carries). Each converge method is idempotent and returns one
 * line per change it made.
 */
@ActivityInterface(namePrefix = "Apply.")
public interface SpecApplyActivities {
  /** The publication, the connector's include list, the ingest job's fingerprint, the Iceberg tables' columns. */
  @ActivityMethod
  ObservedState observe(SpecStructure desired);

  /** The publication covers every desired table ({@code ALTER PUBLICATION ... ADD TABLE}); never creates tables. */
  @ActivityMethod
  List<String> convergeSource(SpecStructure desired);

  /**
   * The connector's config put in place with the desired {@code table.include.list} (same name and slot: the
   * tables already streamed go on from their offsets), until RUNNING; then an incremental snapshot of each of
   * {@code snapshotTables} signalled ({@link #awaitSnapshots} waits for their end).
   */
  @ActivityMethod
  List<String> convergeConnector(SpecStructure desired, List<String> snapshotTables);

  /**
   * Until Debezium reports each of {@code tables}, signalled by this apply run's {@link #convergeConnector}, read
   * to its end; a table Debezium skipped is signalled again. Heartbeats while it waits.
   */
  @ActivityMethod
  List<String> awaitSnapshots(SpecStructure desired, List<String> tables);

  /** Raw tables created, columns added to parsed tables and satellites ({@code actions}: the plan's Iceberg ones). */
  @ActivityMethod
  List<String> convergeIceberg(SpecStructure desired, List<ApplyAction> actions);

  /** The ingest job runs the desired statement set (redeployed through a savepoint when it differs). */
  @ActivityMethod
  List<String> convergeIngestJob(SpecStructure desired);
}
