package dev.lakehouse.activities.apply;

import dev.lakehouse.activities.Failures;
import dev.lakehouse.activities.connect.ConnectActivitiesImpl;
import dev.lakehouse.activities.flink.FlinkActivitiesImpl;
import dev.lakehouse.activities.iceberg.TableColumns;
import dev.lakehouse.activities.kafka.SnapshotSignals;
import dev.lakehouse.activities.source.SourceDatabase;
import dev.lakehouse.activities.source.SourceTables;
import dev.lakehouse.models.IngestSql;
import dev.lakehouse.spec.ColumnSpec;
import dev.lakehouse.spec.ColumnType;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SatelliteSpec;
import dev.lakehouse.spec.SpecStructure;
import dev.lakehouse.spec.TableSpec;
import dev.lakehouse.workflows.activities.FlinkJobStatus;
import dev.lakehouse.workflows.activities.SpecApplyActivities;
import dev.lakehouse.workflows.apply.ApplyAction;
import dev.lakehouse.workflows.apply.ApplyActionKind;
import dev.lakehouse.workflows.apply.ObservedState;
import dev.lakehouse.workflows.apply.SpecPlanner;
import dev.lakehouse.workflows.assets.AssetGraph;
import io.temporal.activity.Activity;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * {@link SpecApplyActivities} on the worker's spec with the applied structure ({@link PipelineSpec#withStructure}):
 * endpoints, source names and schedules stay the worker's, only tables and vault models come from the apply. Each
 * system's work is done by its own package, with the same code the ingestion setup runs.
 */
public class SpecApplyActivitiesImpl implements SpecApplyActivities {
  private static final String ASSET = "apply";
  /** Within the start-to-close timeout of the step that waits (1 h); a retry goes on waiting. */
  private static final Duration SNAPSHOT_TIMEOUT = Duration.ofMinutes(55);

  private final PipelineSpec spec;

  @Inject
  public SpecApplyActivitiesImpl(PipelineSpec spec) {
    this.spec = spec;
  }

  @Override
  public ObservedState observe(SpecStructure desired) {
    PipelineSpec target = spec.withStructure(desired);
    try {
      SourceTables.Publication publication = SourceTables.publication(target);
      List<String> keys = new ArrayList<>();
      for (TableSpec t : desired.tables()) {
        keys.add(SpecPlanner.rawKey(t.name()));
        keys.add(PipelineSpec.PARSED_SCHEMA + "." + PipelineSpec.parsedTableName(t.name()));
      }
      for (SatelliteSpec s : desired.satellites()) {
        keys.add(PipelineSpec.VAULT_SCHEMA + "." + s.name());
      }
      Map<String, List<String>> columns = TableColumns.of(target, keys);
      return new ObservedState(spec.structure(), SourceTables.states(target, desired.tableNames()),
          publication.exists(), publication.tables(), new ConnectActivitiesImpl(target).includedTables().orElse(null),
          new FlinkActivitiesImpl(target).runningFingerprint().orElse(null), IngestSql.fingerprint(target), columns,
          SnapshotSignals.pendingTables(target));
    } catch (ExecutionException | TimeoutException e) {
      throw Failures.of(AssetGraph.connectorKey(spec.sourceDatabase()), "read the owed snapshots on "
          + SnapshotSignals.topic(target), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.of(ASSET, "read the owed snapshots", e);
    } catch (SQLException e) {
      throw Failures.of(AssetGraph.connectorKey(spec.sourceDatabase()), "read the source tables and publication at "
          + spec.endpoints().postgres().jdbcUrl(), e);
    } catch (IOException e) {
      throw Failures.of(ASSET, "read the Iceberg tables", e);
    }
  }

  @Override
  public List<String> convergeSource(SpecStructure desired) {
    PipelineSpec target = spec.withStructure(desired);
    try {
      List<String> before = SourceTables.publication(target).tables();
      SourceDatabase.ensurePublication(target);
      return desired.tableNames().stream().filter(t -> !before.contains(t))
          .map(t -> "added " + t + " to publication " + spec.source().publication()).toList();
    } catch (SQLException e) {
      throw Failures.of(AssetGraph.connectorKey(spec.sourceDatabase()), "complete publication "
          + spec.source().publication(), e);
    }
  }

  @Override
  public List<String> convergeConnector(SpecStructure desired, List<String> snapshotTables) {
    ConnectActivitiesImpl connect = new ConnectActivitiesImpl(spec.withStructure(desired));
    List<String> before = connect.includedTables().orElse(null);
    connect.upsertConnector(true); // the plan excludes a table only with --allow-removal
    connect.awaitRunning();
    List<String> changes = new ArrayList<>();
    changes.add((before == null ? "created connector " : "updated connector ") + spec.source().connector()
        + ": table.include.list " + desired.tableNames() + ", slot " + spec.source().slot());
    if (!snapshotTables.isEmpty()) {
      // after the include list took effect: a snapshot of a table the connector does not capture yet is skipped.
      // The id names this apply run, so a retry of this activity does not snapshot a table twice.
      PipelineSpec target = spec.withStructure(desired);
      String idPrefix = signalIdPrefix();
      try {
        SnapshotSignals.send(target, idPrefix, snapshotTables).forEach(t -> changes.add("signalled an incremental"
            + " snapshot of " + t + " (its existing rows, as op=r events) on " + SnapshotSignals.topic(target)));
      } catch (ExecutionException | TimeoutException e) {
        throw Failures.of(AssetGraph.connectorKey(spec.sourceDatabase()), "signal a snapshot of " + snapshotTables
            + " on " + SnapshotSignals.topic(target), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Failures.of(AssetGraph.connectorKey(spec.sourceDatabase()), "signal a snapshot", e);
      }
    }
    return changes;
  }

  @Override
  public List<String> awaitSnapshots(SpecStructure desired, List<String> tables) {
    PipelineSpec target = spec.withStructure(desired);
    String asset = AssetGraph.connectorKey(spec.sourceDatabase());
    try {
      // Debezium skips a table whose snapshot fails and streams on: only its report says the rows were read
      return new SnapshotCompletion(target, asset, SNAPSHOT_TIMEOUT, Duration.ofSeconds(1))
          .await(signalIdPrefix(), tables);
    } catch (ExecutionException | TimeoutException e) {
      throw Failures.of(asset, "read the snapshot signals and Debezium's notifications of " + tables, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.of(asset, "await the snapshot of " + tables, e);
    }
  }

  /** The ids of this apply run's signals start with it; a retried activity finds its own. */
  private static String signalIdPrefix() {
    return "lakehouse-apply-" + Activity.getExecutionContext().getInfo().getRunId() + "-";
  }

  @Override
  public List<String> convergeIceberg(SpecStructure desired, List<ApplyAction> actions) {
    List<TableColumns.NewColumn> columns = new ArrayList<>();
    for (ApplyAction a : actions) {
      if (a.kind() == ApplyActionKind.PARSED_ADD_COLUMN || a.kind() == ApplyActionKind.SATELLITE_ADD_COLUMN) {
        String column = a.detail().split(" ")[0];
        columns.add(new TableColumns.NewColumn(a.target(), column, columnType(desired, a.target(), column)));
      }
    }
    try {
      return TableColumns.converge(spec.withStructure(desired), columns);
    } catch (IOException | RuntimeException e) {
      throw Failures.of(ASSET, "converge the Iceberg tables", e);
    }
  }

  /** The spec type of {@code column} of the source table behind a parsed table or a satellite. */
  private static ColumnType columnType(SpecStructure desired, String tableKey, String column) {
    String name = tableKey.substring(tableKey.indexOf('.') + 1);
    String source = name.startsWith("parsed_") ? name.substring("parsed_".length())
        : desired.satellites().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().table();
    return desired.table(source).orElseThrow().column(column).map(ColumnSpec::type).orElseThrow();
  }

  @Override
  public List<String> convergeIngestJob(SpecStructure desired) {
    PipelineSpec target = spec.withStructure(desired);
    String before = new FlinkActivitiesImpl(target).runningFingerprint().orElse(null);
    FlinkJobStatus job = new FlinkActivitiesImpl(target).ensureIngestJob();
    return List.of((before == null ? "submitted " : "redeployed (" + (before.isEmpty() ? "unversioned" : before)
        + " stopped with a savepoint) as ") + job.pipelineName() + ": job " + job.jobId() + " " + job.state());
  }
}
