package dev.lakehouse.workflows.apply;

import dev.lakehouse.spec.ColumnSpec;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SatelliteSpec;
import dev.lakehouse.spec.SpecStructure;
import dev.lakehouse.spec.TableSpec;
import dev.lakehouse.workflows.Lakehouse;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The plan of an apply: the desired structure against the observed state (pure, deterministic; the
 * {@code spec-apply} workflow calls it between its observe and converge activities).
 *
 * <p>What it refuses, each as one line saying what to do instead: a spec table PostgreSQL lacks or that has no
 * primary key (apply never creates or alters user tables); a column whose type changed (the stored rows keep
 * the old type: add a new column, or change it and {@code backfill --full-refresh} the models); a satellite whose
 * existing columns are not the prefix of its new ones (the hashdiff order is significant: new columns go last);
 * a table or column the worker's spec has and the new one does not, unless removal is allowed (removal stops
 * ingesting a table and keeps all its data; a removed column stays in the tables, NULL from then on).
 */
public final class SpecPlanner {
  private SpecPlanner() {}

  public static ApplyPlan plan(SpecStructure desired, ObservedState observed, boolean allowRemoval) {
    List<ApplyAction> actions = new ArrayList<>();
    List<String> refusals = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    SpecStructure applied = observed.applied();

    source(desired, observed, actions, refusals, notes);
    changes(desired, applied, allowRemoval, refusals);
    capturedRemovals(desired, observed, allowRemoval, refusals);
    debezium(desired, observed, allowRemoval, actions);
    iceberg(desired, observed, actions);

    String running = observed.ingestFingerprint();
    if (running == null) {
      actions.add(new ApplyAction(ApplyActionKind.INGEST_JOB_SUBMIT, Lakehouse.ingestJobName(
          observed.desiredIngestFingerprint()), ""));
    } else if (!running.equals(observed.desiredIngestFingerprint())) {
      actions.add(new ApplyAction(ApplyActionKind.INGEST_JOB_REDEPLOY, Lakehouse.ingestJobName(
          observed.desiredIngestFingerprint()), "statement set " + (running.isEmpty() ? "unversioned" : running)
          + " -> " + observed.desiredIngestFingerprint() + ", stop with savepoint, resume from its offsets"));
    }

    // sensors and schedules: the CLI adds them (TemporalActions), from the automation's own reconciliation
    if (!applied.equals(desired)) {
      actions.add(new ApplyAction(ApplyActionKind.WORKER_RELOAD, "worker",
          "asset graph and models from the applied spec"));
    }
    return new ApplyPlan(refusals.isEmpty() ? actions : List.of(), refusals, notes);
  }

  private static void source(SpecStructure desired, ObservedState observed, List<ApplyAction> actions,
      List<String> refusals, List<String> notes) {
    if (!observed.publication()) {
      actions.add(new ApplyAction(ApplyActionKind.PUBLICATION_CREATE, "publication", ""));
    }
    for (TableSpec t : desired.tables()) {
      Optional<SourceTableState> state = observed.sourceTables().stream()
          .filter(s -> s.name().equals(t.name())).findFirst();
      if (state.isEmpty() || !state.get().exists()) {
        refusals.add("table " + t.name() + " does not exist in the source database: create it there first"
            + " (apply never creates source tables), or remove lakehouse.tables." + t.name() + " from the spec");
        continue;
      }
      if (!state.get().hasPrimaryKey()) {
        refusals.add("table " + t.name() + " has no primary key in the source database: add one (the vault keys"
            + " every change on it), or remove lakehouse.tables." + t.name() + " from the spec");
        continue;
      }
      if (!state.get().replicaIdentityFull()) {
        notes.add("table " + t.name() + " is not REPLICA IDENTITY FULL: a delete carries only its key, so the"
            + " satellite row of a delete has NULL attributes (ALTER TABLE " + t.name() + " REPLICA IDENTITY FULL)");
      }
      if (!observed.publicationTables().contains(t.name())) {
        actions.add(new ApplyAction(ApplyActionKind.PUBLICATION_ADD_TABLE, t.name(), ""));
      }
    }
  }

  /**
   * A table the connector captures that neither the new spec nor the worker's has (the worker already runs a spec
   * without it, e.g. at {@code ./lakehouse up}; its ingestion setup keeps captured tables): a removal like any other.
   */
  private static void capturedRemovals(SpecStructure desired, ObservedState observed, boolean allowRemoval,
      List<String> refusals) {
    if (allowRemoval || observed.connectorTables() == null) {
      return;
    }
    for (String table : observed.connectorTables()) {
      if (desired.table(table).isEmpty() && observed.applied().table(table).isEmpty()) {
        refusals.add("table " + table + " is no longer in the spec (the connector still captures it): pass"
            + " --allow-removal to stop ingesting it (its raw, parsed and vault data are kept)");
      }
    }
  }

  /** Type changes, reordered satellites and removals, against the structure the worker runs. */
  private static void changes(SpecStructure desired, SpecStructure applied, boolean allowRemoval,
      List<String> refusals) {
    for (TableSpec old : applied.tables()) {
      Optional<TableSpec> now = desired.table(old.name());
      if (now.isEmpty()) {
        if (!allowRemoval) {
          refusals.add("table " + old.name() + " is no longer in the spec: pass --allow-removal to stop ingesting"
              + " it (its raw, parsed and vault data are kept)");
        }
        continue;
      }
      for (ColumnSpec column : old.columns()) {
        Optional<ColumnSpec> same = now.get().column(column.name());
        if (same.isEmpty()) {
          if (!allowRemoval) {
            refusals.add("column " + old.name() + "." + column.name() + " is no longer in the spec: pass"
                + " --allow-removal to stop filling it (its column and data are kept)");
          }
        } else if (!same.get().type().equals(column.type())) {
          refusals.add("column " + old.name() + "." + column.name() + " changes type " + column.type() + " -> "
              + same.get().type() + ": the stored rows keep " + column.type() + "; use a new column, or change it"
              + " and run backfill --full-refresh on its models");
        }
      }
    }
    for (SatelliteSpec old : applied.satellites()) {
      desired.satellites().stream().filter(s -> s.name().equals(old.name())).findFirst().ifPresent(now -> {
        List<String> dropped = old.columns().stream().filter(c -> !now.columns().contains(c)).toList();
        if (!dropped.isEmpty() && !allowRemoval) {
          refusals.add("satellite " + old.name() + " drops " + dropped + ": pass --allow-removal to stop carrying them"
              + " (its hashdiff changes, so each key's next change writes a new row)");
        }
        List<String> kept = now.columns().stream().filter(old.columns()::contains).toList();
        List<String> stillThere = old.columns().stream().filter(now.columns()::contains).toList();
        if (!now.columns().subList(0, kept.size()).equals(stillThere)) {
          refusals.add("satellite " + old.name() + " reorders its columns " + old.columns() + " -> " + now.columns()
              + ": keep the existing order and append new columns last (the hashdiff order)");
        }
      });
    }
  }

  private static void debezium(SpecStructure desired, ObservedState observed, boolean allowRemoval,
      List<ApplyAction> actions) {
    List<String> included = observed.connectorTables();
    if (included == null) {
      actions.add(new ApplyAction(ApplyActionKind.CONNECTOR_CREATE, "connector",
          "table.include.list " + desired.tableNames()));
      return;
    }
    for (String table : desired.tableNames()) {
      if (!included.contains(table)) {
        actions.add(new ApplyAction(ApplyActionKind.CONNECTOR_INCLUDE_TABLE, table, "config updated in place"));
        actions.add(new ApplyAction(ApplyActionKind.CONNECTOR_SNAPSHOT_TABLE, table,
            "its existing rows, as op=r events"));
      } else if (observed.snapshotsPending().contains(table)) {
        // captured by a connector update whose snapshot signal was never sent (a failed apply, or the ingestion
        // setup of a worker with a new table in its spec)
        actions.add(new ApplyAction(ApplyActionKind.CONNECTOR_SNAPSHOT_TABLE, table,
            "its existing rows, as op=r events (captured since a connector update, never snapshotted)"));
      }
    }
    if (allowRemoval) {
      for (String table : included) {
        if (!desired.tableNames().contains(table)) {
          actions.add(new ApplyAction(ApplyActionKind.CONNECTOR_EXCLUDE_TABLE, table,
              "no longer captured; its data is kept"));
        }
      }
    }
  }

  private static void iceberg(SpecStructure desired, ObservedState observed, List<ApplyAction> actions) {
    for (TableSpec t : desired.tables()) {
      if (!observed.icebergColumns().containsKey(rawKey(t.name()))) {
        actions.add(new ApplyAction(ApplyActionKind.RAW_TABLE_CREATE, rawKey(t.name()), ""));
      }
      String parsed = PipelineSpec.PARSED_SCHEMA + "." + PipelineSpec.parsedTableName(t.name());
      List<String> existing = observed.icebergColumns().get(parsed);
      if (existing != null) {
        for (ColumnSpec c : t.columns()) {
          if (!existing.contains(c.name())) {
            actions.add(new ApplyAction(ApplyActionKind.PARSED_ADD_COLUMN, parsed, c.name() + " " + c.type()));
          }
        }
      }
    }
    for (SatelliteSpec s : desired.satellites()) {
      String key = PipelineSpec.VAULT_SCHEMA + "." + s.name();
      List<String> existing = observed.icebergColumns().get(key);
      if (existing == null) {
        continue; // created by its first run, with every column
      }
      TableSpec table = desired.table(s.table()).orElseThrow();
      for (String column : s.columns()) {
        if (!existing.contains(column)) {
          actions.add(new ApplyAction(ApplyActionKind.SATELLITE_ADD_COLUMN, key,
              column + " " + table.column(column).map(ColumnSpec::type).map(Objects::toString).orElse("")));
        }
      }
    }
  }

  /** {@code raw_data.<table>} */
  public static String rawKey(String table) {
    return PipelineSpec.RAW_SCHEMA + "." + table;
  }
}
