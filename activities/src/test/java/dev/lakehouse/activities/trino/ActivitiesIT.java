package dev.lakehouse.activities.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.activities.iceberg.CatalogActivitiesImpl;
import dev.lakehouse.activities.iceberg.IcebergCatalogs;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.workflows.MaintenanceOperation;
import dev.lakehouse.workflows.activities.CatalogActivities;
import dev.lakehouse.workflows.activities.FailureTypes;
import dev.lakehouse.workflows.activities.MaintenanceActivities;
import dev.lakehouse.workflows.activities.MaterializeContext;
import dev.lakehouse.workflows.activities.MaterializeResult;
import dev.lakehouse.workflows.activities.ModelActivities;
import dev.lakehouse.workflows.activities.SnapshotInfo;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The activity implementations as Temporal runs them (TestActivityEnvironment), against the real services. */
class ActivitiesIT {
  PipelineSpec spec;
  Harness h;
  TestActivityEnvironment env;

  @BeforeEach
  void setUp() throws Exception {
    spec = ItStack.spec();
    h = new Harness(spec);
    h.reset();
    env = TestActivityEnvironment.newInstance();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  <T> T stub(Class<T> type) {
    return env.newActivityStub(type, ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(5))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build());
  }

  @Test
  void materializeRunsModelsAndNamesTheAssetInFailures() throws Exception {
    env.registerActivitiesImplementations(new ModelActivitiesImpl(spec));
    ModelActivities models = stub(ModelActivities.class);
    h.insert(SeedScenario.events());
    MaterializeResult parsed = models.materialize("parsed_data.parsed_users", new MaterializeContext("run-1", "", false));
    assertThat(parsed).isEqualTo(new MaterializeResult("parsed_data.parsed_users", 5, 5, 0, "{\"0\":[-1,4]}",
        Long.valueOf(SeedScenario.lsn(1))));
    // the next run's exact range, read from the watermark (nothing written), as `lakehouse models sql --live` prints it
    assertThat(h.nextRunSql("parsed_data.parsed_users"))
        .contains("-- input rows: {\"0\":[4,4]}").contains("WHERE FALSE");
    assertThat(h.nextRunSql("data_vault.s_users"))
        .contains("-- input rows: {\"0\":[-1,4]}")
        .contains("(kafka_partition = 0 AND kafka_offset > -1 AND kafka_offset <= 4)")
        .contains("AND t.source_lsn >= " + SeedScenario.lsn(1));
    MaterializeResult sat = models.materialize("data_vault.s_users", new MaterializeContext("run-1", "", false));
    assertThat(sat).isEqualTo(new MaterializeResult("data_vault.s_users", 5, 5, 0, "{\"0\":[-1,4]}",
        Long.valueOf(SeedScenario.lsn(1))));
    assertThat(h.query("SELECT run_id, status, rows_in, rows_out FROM iceberg.ops.materializations"
        + " WHERE asset = 'data_vault.s_users'")).containsExactly(List.of("run-1", "succeeded", "5", "5"));

    // not a model: configuration error, not retried
    assertThatThrownBy(() -> models.materialize("raw_data.users", new MaterializeContext("run-1", "", false)))
        .isInstanceOf(ActivityFailure.class).cause().isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.getType()).isEqualTo(FailureTypes.CONFIGURATION);
          assertThat(f.isNonRetryable()).isTrue();
          assertThat(f.getOriginalMessage()).startsWith("raw_data.users: ").contains("data_vault.s_users");
        });

    // a SQL error Trino reports as a user error (its input table is gone): not retried, names the asset
    try (Connection c = h.trino.open(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE iceberg.raw_data.accounts");
    }
    assertThatThrownBy(() -> models.materialize("parsed_data.parsed_accounts", new MaterializeContext("run-2", "", false)))
        .isInstanceOf(ActivityFailure.class).cause().isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.getType()).isEqualTo(FailureTypes.SQL);
          assertThat(f.isNonRetryable()).isTrue();
          assertThat(f.getOriginalMessage()).startsWith("parsed_data.parsed_accounts: ").contains("does not exist");
        });
  }

  @Test
  void trinoUnreachableIsRetryable() {
    Map<String, Object> overrides = new HashMap<>(stackOverrides());
    overrides.put("lakehouse.endpoints.trino.port", "1"); // nothing listens there
    env.registerActivitiesImplementations(new ModelActivitiesImpl(SpecLoader.load(overrides)));
    assertThatThrownBy(() -> stub(ModelActivities.class).materialize("data_vault.h_users",
        new MaterializeContext("run-x", "", false)))
        .isInstanceOf(ActivityFailure.class).cause().isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.getType()).isEqualTo(FailureTypes.TRANSIENT);
          assertThat(f.isNonRetryable()).isFalse();
          assertThat(f.getOriginalMessage()).startsWith("data_vault.h_users: ");
        });
  }

  private static Map<String, String> stackOverrides() {
    return Boolean.getBoolean("lakehouse.it.external") ? Map.of()
        : dev.lakehouse.stack.junit.LakehouseStackExtension.configOverrides();
  }

  @Test
  void catalogActivitiesUseTheRestCatalog() throws Exception {
    env.registerActivitiesImplementations(new CatalogActivitiesImpl(spec));
    CatalogActivities catalog = stub(CatalogActivities.class);
    assertThat(catalog.ensureNamespaces()).containsExactly("raw_data", "parsed_data", "data_vault", "ops");
    assertThat(catalog.ensureRawTables()).containsExactlyInAnyOrder("raw_data.users", "raw_data.accounts");
    assertThat(catalog.ensureRawTables()).hasSize(2); // idempotent
    assertThat(catalog.currentSnapshot("raw_data.users")).isEqualTo(new SnapshotInfo("raw_data.users", null, null));
    assertThat(catalog.currentSnapshot("raw_data.nope")).isEqualTo(new SnapshotInfo("raw_data.nope", null, null));
    assertThat(catalog.currentSnapshot("nowhere.nope")).isEqualTo(new SnapshotInfo("nowhere.nope", null, null));
    h.insert(SeedScenario.events());
    SnapshotInfo first = catalog.currentSnapshot("raw_data.users");
    assertThat(first.snapshotId()).isNotNull();
    assertThat(first.committedAtMillis()).isPositive();
    assertThat(first.operation()).isEqualTo("append");
    assertThat(first.totalRecords()).isEqualTo(first.addedRecords()).isPositive();
    h.insert(SeedScenario.events().subList(0, 1));
    SnapshotInfo second = catalog.currentSnapshot("raw_data.users");
    assertThat(second.snapshotId()).isNotEqualTo(first.snapshotId());
    // the summary's counts, which the sensors compare to skip snapshots that add no rows
    assertThat(second.addedRecords()).isEqualTo(1);
    assertThat(second.totalRecords()).isEqualTo(first.totalRecords() + 1);
  }

  @Test
  void maintenanceRunsIcebergProcedures() throws Exception {
    env.registerActivitiesImplementations(new MaintenanceActivitiesImpl(spec));
    List<String> beats = new java.util.concurrent.CopyOnWriteArrayList<>();
    env.setActivityHeartbeatListener(String.class, beats::add);
    MaintenanceActivities maintenance = stub(MaintenanceActivities.class);
    assertThat(maintenance.tables("vault")).contains("data_vault.h_users", "data_vault.s_users",
        "data_vault.s_users_state", "data_vault.l_users_accounts", "ops.materializations");
    assertThat(maintenance.tables("raw_parsed")).contains("raw_data.users", "parsed_data.parsed_users",
        "parsed_data.rejected_users");
    h.insert(SeedScenario.events().subList(0, 2));
    h.insert(SeedScenario.events().subList(2, 4));
    assertThat(maintenance.optimize("raw_data.users", "128MB").detail()).isEqualTo("done");
    assertThat(maintenance.expireSnapshots("raw_data.users", "7d").detail()).isEqualTo("done");
    assertThat(maintenance.removeOrphanFiles("raw_data.users", "7d").detail()).isEqualTo("done");
    assertThat(maintenance.dropExtendedStats("raw_data.users").detail()).isEqualTo("done");
    assertThat(maintenance.optimize("data_vault.h_users", "128MB").detail()).startsWith("skipped");
    // a long operation must not look dead to its 5-minute heartbeat timeout: it beats with what runs
    assertThat(beats).anySatisfy(b -> assertThat(b).startsWith("optimize raw_data.users: "));
    // the raw rows survived compaction
    assertThat(h.count("raw_data.users")).isEqualTo(2);
    assertThatThrownBy(() -> maintenance.optimize("raw_data.users", "lots"))
        .isInstanceOf(ActivityFailure.class).cause().isInstanceOfSatisfying(ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo(FailureTypes.CONFIGURATION));
  }

  @Test
  void metadataCleanupBoundsTheMetadataFilesATableKeeps() throws Exception {
    env.registerActivitiesImplementations(new CatalogActivitiesImpl(spec));
    CatalogActivities catalog = stub(CatalogActivities.class);
    catalog.ensureRawTables();
    assertThat(catalog.cleanUpMetadata("raw_data.nope").detail()).startsWith("skipped");
    // a table only this test writes: the stack's Flink job, left running by the ingestion tests, commits to the raw
    // tables now and then, and a commit that loses the catalog's race leaves its metadata file behind (an orphan,
    // which the orphan-file cleanup removes, not this one)
    TableIdentifier id = TableIdentifier.of("raw_data", "metadata_cleanup_" + System.nanoTime());
    try (RESTCatalog rest = IcebergCatalogs.open(spec.endpoints())) {
      Table table = rest.createTable(id, new Schema(Types.NestedField.required(1, "id", Types.LongType.get())));
      try {
        assertThat(catalog.cleanUpMetadata(id.toString()).detail()).startsWith("set {write.metadata");
        assertThat(catalog.cleanUpMetadata(id.toString()).detail()).isEqualTo("already set");
        // more commits than the table keeps: every one beyond the last 20 metadata files is deleted, in the log and
        // in the object store
        table.refresh();
        for (int i = 0; i < MaintenanceOperation.KEPT_METADATA_FILES + 5; i++) {
          table.newAppend().commit();
        }
        TableMetadata metadata = ((HasTableOperations) rest.loadTable(id)).operations().current();
        assertThat(metadata.previousFiles()).hasSize(MaintenanceOperation.KEPT_METADATA_FILES);
        FileIO io = ((HasTableOperations) rest.loadTable(id)).operations().io();
        String oldest = metadata.previousFiles().get(0).file();
        int version = Integer.parseInt(oldest.substring(oldest.lastIndexOf('/') + 1, oldest.indexOf('-',
            oldest.lastIndexOf('/'))));
        assertThat(version).as("the oldest kept is recent: older ones left the log").isGreaterThan(5);
        assertThat(io.newInputFile(oldest).exists()).isTrue();
        String dropped = oldest.substring(0, oldest.lastIndexOf('/') + 1);
        long metadataFiles = 0;
        for (org.apache.iceberg.io.FileInfo f : ((org.apache.iceberg.io.SupportsPrefixOperations) io).listPrefix(dropped)) {
          if (f.location().endsWith(".metadata.json")) {
            metadataFiles++;
          }
        }
        assertThat(metadataFiles).as("the current file and the kept ones, no more")
            .isEqualTo(MaintenanceOperation.KEPT_METADATA_FILES + 1);
      } finally {
        rest.dropTable(id, true);
      }
    }
  }
}
