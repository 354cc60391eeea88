package dev.lakehouse.activities.trino;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.activities.iceberg.IcebergCatalogs;
import dev.lakehouse.activities.iceberg.RawTables;
import dev.lakehouse.models.StatusSql;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.workflows.activities.MaintenanceActivities;
import dev.lakehouse.workflows.activities.MaintenanceResult;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The snapshot expiry on real Trino never expires a Flink sink's last commit to a table nor any newer snapshot,
 * whatever the retention: the sink's restore walks back from the current snapshot to it
 * (docs/decisions.md, "Metadata kept bounded"). The snapshots are made through the Iceberg REST catalog as the sink
 * makes them (an append whose summary carries {@code flink.job-id} and {@code flink.max-committed-checkpoint-id}),
 * seconds apart, so the test's margin is seconds, not the production's minutes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RawSnapshotExpiryIT {
  static final Duration MARGIN = Duration.ofSeconds(3);
  static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));

  private PipelineSpec spec;
  private RESTCatalog catalog;
  private TrinoConnections trino;
  private TestActivityEnvironment env;
  private MaintenanceActivities maintenance;
  private final List<TableIdentifier> created = new ArrayList<>();

  @BeforeAll
  void setUp() {
    spec = ItStack.spec();
    catalog = IcebergCatalogs.open(spec.endpoints());
    RawTables.ensureNamespaces(catalog);
    trino = new TrinoConnections(spec.trino());
    env = TestActivityEnvironment.newInstance(); // as Temporal runs it: the activity heartbeats
    env.registerActivitiesImplementations(new MaintenanceActivitiesImpl(spec, MARGIN));
    maintenance = env.newActivityStub(MaintenanceActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(5))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build());
  }

  @AfterAll
  void tearDown() throws Exception {
    env.close();
    created.forEach(id -> catalog.dropTable(id, true));
    catalog.close();
  }

  @Test
  void theSinksLastCommitAndEveryNewerSnapshotOutliveTheRetention() throws Exception {
    Table table = table("expiry_flink");
    Instant writtenBefore = Instant.now().minusSeconds(1);
    long before1 = commit(table, null, 0);
    long before2 = commit(table, null, 0);
    Thread.sleep(8_000); // well past the margin (rounded up: under 4 s) before the sink's commits
    long flink1 = commit(table, "job-a", 1);
    long flink2 = commit(table, "job-a", 2); // the sink's last commit: what its restore looks for
    Instant writtenAfter = Instant.now();
    long after1 = commit(table, null, 0); // a compaction or other writer after it
    long after2 = commit(table, null, 0);
    Thread.sleep(3_000); // every snapshot is now older than the 1-second retention

    MaintenanceResult r = maintenance.expireSnapshots(key(table), "PT1S");

    assertThat(r.detail()).isEqualTo("done");
    List<Long> kept = snapshots(table);
    assertThat(kept).as("the sink's last commit and every newer snapshot").contains(flink2, after1, after2);
    assertThat(kept).as("what is older than it by more than the margin").doesNotContain(before1, before2);
    // what the sink's restore reads (SinkUtil.getMaxCommittedCheckpointId): the chain back from the current
    // snapshot reaches its job's last commit
    Table reloaded = catalog.loadTable(TableIdentifier.parse(key(table)));
    assertThat(lastCheckpoint(reloaded, "job-a")).isEqualTo(2);
    // the sink's commit just before its last is within the margin, less the time between the age query and the
    // expiry's start: it may go
    assertThat(kept).as("nothing else").isSubsetOf(flink1, flink2, after1, after2);
    // freshness dates a pending raw row by the snapshot that committed it: unknown (NULL, the caller falls back to
    // the row's write time) once that one is expired, not the first kept one
    assertThat(trino.query(StatusSql.snapshotQuery("iceberg." + key(table), writtenBefore)).get(0).get(0)).isNull();
    assertThat(trino.query(StatusSql.snapshotQuery("iceberg." + key(table), writtenAfter)).get(0).get(0))
        .isEqualTo(trino.query("SELECT committed_at FROM iceberg.raw_data.\"" + key(table).split("\\.")[1]
            + "$snapshots\" WHERE snapshot_id = " + after1).get(0).get(0));
  }

  @Test
  void aNewerSinkCommitOffTheCurrentLineDoesNotLowerTheFloor() throws Exception {
    Table table = table("expiry_rollback");
    long flink1 = commit(table, "job-a", 1);
    Thread.sleep(8_000);
    long rolledBack = commit(table, "job-a", 2);
    table.manageSnapshots().rollbackTo(flink1).commit(); // checkpoint 2's commit is no longer an ancestor
    table.refresh();
    long after = commit(table, null, 0);
    Thread.sleep(3_000);

    maintenance.expireSnapshots(key(table), "PT1S");

    // the newest sink commit overall (checkpoint 2's, rolled away) is seconds old, but the restore walks back from
    // the current snapshot to checkpoint 1's commit, older than that plus the margin
    assertThat(snapshots(table)).contains(flink1, rolledBack, after);
    assertThat(lastCheckpoint(catalog.loadTable(TableIdentifier.parse(key(table))), "job-a")).isEqualTo(1);
  }

  @Test
  void withoutAFlinkCommitOnlyTheRetentionApplies() throws Exception {
    Table table = table("expiry_no_flink");
    long old1 = commit(table, null, 0);
    long old2 = commit(table, null, 0);
    Thread.sleep(16_000);
    long recent1 = commit(table, null, 0);
    long recent2 = commit(table, null, 0);

    maintenance.expireSnapshots(key(table), "PT15S");

    assertThat(snapshots(table)).containsExactlyInAnyOrder(recent1, recent2).doesNotContain(old1, old2);
  }

  @Test
  void aTinyRetentionWithoutAFlinkCommitKeepsOnlyTheCurrentSnapshot() throws Exception {
    Table table = table("expiry_tiny");
    commit(table, null, 0);
    commit(table, null, 0);
    long current = commit(table, null, 0);
    Thread.sleep(2_000);

    maintenance.expireSnapshots(key(table), "PT1S");

    assertThat(snapshots(table)).containsExactly(current);
  }

  private Table table(String prefix) {
    TableIdentifier id = TableIdentifier.of("raw_data", prefix + "_" + System.nanoTime());
    created.add(id);
    return catalog.createTable(id, SCHEMA);
  }

  private static String key(Table table) {
    String name = table.name(); // <catalog>.raw_data.<table>
    String[] parts = name.split("\\.");
    return parts[parts.length - 2] + "." + parts[parts.length - 1];
  }

  /** An empty append (as the sink commits a checkpoint without data now and then), its snapshot's id. */
  private static long commit(Table table, String flinkJobId, long checkpoint) {
    var append = table.newAppend();
    if (flinkJobId != null) {
      append.set("flink.job-id", flinkJobId).set("flink.max-committed-checkpoint-id", Long.toString(checkpoint))
          .set("flink.operator-id", "committer");
    }
    append.commit();
    table.refresh();
    return table.currentSnapshot().snapshotId();
  }

  private List<Long> snapshots(Table table) throws Exception {
    String[] parts = key(table).split("\\.");
    return trino.query("SELECT snapshot_id FROM iceberg." + parts[0] + ".\"" + parts[1] + "$snapshots\"").stream()
        .map(row -> Long.parseLong(row.get(0))).toList();
  }

  /** Iceberg's walk on restore: back from the current snapshot to the job's last commit (-1: not found). */
  private static long lastCheckpoint(Table table, String jobId) {
    var snapshot = table.currentSnapshot();
    while (snapshot != null) {
      if (jobId.equals(snapshot.summary().get("flink.job-id"))) {
        return Long.parseLong(snapshot.summary().get("flink.max-committed-checkpoint-id"));
      }
      snapshot = snapshot.parentId() == null ? null : table.snapshot(snapshot.parentId());
    }
    return -1;
  }
}
