package dev.lakehouse.activities.iceberg;

import dev.lakehouse.activities.Failures;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.workflows.MaintenanceOperation;
import dev.lakehouse.workflows.activities.CatalogActivities;
import dev.lakehouse.workflows.activities.MaintenanceResult;
import dev.lakehouse.workflows.activities.SnapshotInfo;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdateProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.rest.RESTCatalog;

/**
 * {@link CatalogActivities} through iceberg-core's REST catalog client (not Trino: sensors poll every few
 * seconds and a catalog lookup is one HTTP call). A client per call, so a restarted catalog server is no
 * problem. Idempotent: creating what exists is a no-op.
 */
public final class CatalogActivitiesImpl implements CatalogActivities {
  private static final String ASSET = "catalog";

  private final PipelineSpec spec;

  /** The REST catalog and S3 of {@code spec.endpoints()}. */
  @Inject
  public CatalogActivitiesImpl(PipelineSpec spec) {
    this.spec = spec;
  }

  private RESTCatalog catalog() {
    return IcebergCatalogs.open(spec.endpoints());
  }

  @Override
  public List<String> ensureNamespaces() {
    try (RESTCatalog catalog = catalog()) {
      return RawTables.ensureNamespaces(catalog);
    } catch (IOException | RuntimeException e) {
      throw Failures.of(ASSET, "create namespaces " + RawTables.NAMESPACES, e);
    }
  }

  @Override
  public List<String> ensureRawTables() {
    try (RESTCatalog catalog = catalog()) {
      RawTables.ensureNamespaces(catalog);
      return RawTables.ensureTables(catalog, spec);
    } catch (IOException | RuntimeException e) {
      throw Failures.of(ASSET, "create raw tables", e);
    }
  }

  @Override
  public MaintenanceResult cleanUpMetadata(String tableKey) {
    String op = MaintenanceOperation.METADATA_CLEANUP.label();
    Map<String, String> wanted = Map.of(TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true",
        TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, String.valueOf(MaintenanceOperation.KEPT_METADATA_FILES));
    try (RESTCatalog catalog = catalog()) {
      Table table = catalog.loadTable(TableIdentifier.parse(tableKey));
      Map<String, String> missing = new java.util.TreeMap<>();
      wanted.forEach((k, v) -> {
        if (!v.equals(table.properties().get(k))) {
          missing.put(k, v);
        }
      });
      if (missing.isEmpty()) {
        return new MaintenanceResult(tableKey, op, "already set");
      }
      UpdateProperties update = table.updateProperties();
      missing.forEach(update::set);
      update.commit();
      return new MaintenanceResult(tableKey, op, "set " + missing);
    } catch (NoSuchTableException | NoSuchNamespaceException e) {
      return new MaintenanceResult(tableKey, op, "skipped: the table does not exist yet");
    } catch (IOException | RuntimeException e) {
      throw Failures.of(tableKey, "set the metadata cleanup properties", e);
    }
  }

  /** A table that does not exist yet has no snapshot (a sensor may poll before ingestion set up). */
  @Override
  public SnapshotInfo currentSnapshot(String tableKey) {
    TableIdentifier id;
    try {
      id = TableIdentifier.parse(tableKey);
    } catch (RuntimeException e) {
      throw Failures.configuration(tableKey, "not a table key of the form schema.table");
    }
    try (RESTCatalog catalog = catalog()) {
      Table table = catalog.loadTable(id);
      Snapshot s = table.currentSnapshot();
      return s == null ? new SnapshotInfo(tableKey, null, null)
          : new SnapshotInfo(tableKey, s.snapshotId(), s.timestampMillis(), s.operation(),
              summaryLong(s, SnapshotSummary.ADDED_RECORDS_PROP), summaryLong(s, SnapshotSummary.TOTAL_RECORDS_PROP));
    } catch (NoSuchTableException | NoSuchNamespaceException e) {
      return new SnapshotInfo(tableKey, null, null);
    } catch (IOException | RuntimeException e) {
      throw Failures.of(tableKey, "read the current snapshot", e);
    }
  }

  /** A number of the snapshot summary ({@code added-records}, {@code total-records}); null when absent. */
  static Long summaryLong(Snapshot s, String key) {
    String v = s.summary() == null ? null : s.summary().get(key);
    if (v == null) {
      return null;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
