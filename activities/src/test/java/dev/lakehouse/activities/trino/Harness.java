package dev.lakehouse.activities.trino;

import dev.lakehouse.activities.iceberg.CatalogActivitiesImpl;
import dev.lakehouse.models.ModelSql;
import dev.lakehouse.models.OpsSql;
import dev.lakehouse.models.RawColumns;
import dev.lakehouse.models.Sql;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.workflows.LakehouseWorkflows;
import dev.lakehouse.workflows.activities.MaterializeResult;
import dev.lakehouse.workflows.assets.AssetGraph;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Drives the models on a real Trino for integration tests: resets every table, inserts raw events directly
 * into {@code raw_data.*} (one INSERT per table, like one Flink checkpoint), runs models, reads tables back as
 * canonical text (timestamps as microseconds since the epoch) to compare with the {@link Oracle}.
 */
final class Harness {
  final PipelineSpec spec;
  final TrinoConnections trino;
  final ModelSql sql;
  final ModelRunner runner;
  final Oracle oracle;
  private int runs;

  Harness(PipelineSpec spec) {
    this.spec = spec;
    this.trino = new TrinoConnections(spec.trino());
    this.sql = new ModelSql(spec);
    this.runner = new ModelRunner(sql, trino, Clock.systemUTC());
    this.oracle = new Oracle(spec);
  }

  /**
   * Temporal's test server with every workflow of {@code spec}'s graph and the real model and check activities on
   * {@code queue}, started: runs on the stack's Trino as the worker runs them.
   */
  static TestWorkflowEnvironment workflows(PipelineSpec spec, String queue) {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(queue);
    LakehouseWorkflows.register(worker, AssetGraph.fromSpec(spec));
    worker.registerActivitiesImplementations(new ModelActivitiesImpl(spec), new AssetCheckActivitiesImpl(spec));
    env.start();
    return env;
  }

  /** Models in dependency order: parsed tables, then hubs, links, satellites. */
  List<String> models() {
    return sql.modelKeys();
  }

  /** Every model table, raw table and the ops history dropped; raw tables recreated through the REST catalog. */
  void reset() throws SQLException {
    List<String> drops = new ArrayList<>();
    for (String m : models()) {
      sql.model(m).targets().forEach(t -> drops.add("DROP TABLE IF EXISTS " + t));
    }
    spec.tables().forEach(t -> drops.add("DROP TABLE IF EXISTS " + Sql.table(PipelineSpec.RAW_SCHEMA, t.name())));
    drops.add("DROP TABLE IF EXISTS " + OpsSql.TABLE);
    try (Connection c = trino.open(); Statement st = c.createStatement()) {
      for (String d : drops) {
        st.execute(d);
      }
    }
    CatalogActivitiesImpl catalog = new CatalogActivitiesImpl(spec);
    catalog.ensureNamespaces();
    catalog.ensureRawTables();
  }

  /** Inserts events, one INSERT (one Iceberg commit) per raw table. */
  void insert(List<RawEvent> events) throws SQLException {
    Map<String, List<RawEvent>> byTable = events.stream()
        .collect(Collectors.groupingBy(RawEvent::table, LinkedHashMap::new, Collectors.toList()));
    try (Connection c = trino.open(); Statement st = c.createStatement()) {
      for (Map.Entry<String, List<RawEvent>> e : byTable.entrySet()) {
        st.execute("INSERT INTO " + Sql.table(PipelineSpec.RAW_SCHEMA, e.getKey()) + " (" + String.join(", ",
            RawColumns.NAMES) + ")\nVALUES " + e.getValue().stream().map(RawEvent::valuesRow)
            .collect(Collectors.joining(",\n  ")));
      }
    }
  }

  /** Runs every model once, in order; returns their results. */
  List<MaterializeResult> runAll(boolean fullRefresh) throws SQLException {
    String runId = "it-run-" + (++runs);
    List<MaterializeResult> results = new ArrayList<>();
    for (String m : models()) {
      results.add(runner.materialize(m, runId, fullRefresh));
    }
    return results;
  }

  MaterializeResult run(String model) throws SQLException {
    return runner.materialize(model, "it-run-" + (++runs), false);
  }

  /** The SQL of the next run of {@code model} with its batch read from Trino (nothing written). */
  String nextRunSql(String model) throws SQLException {
    try (Connection c = trino.open(); Statement st = c.createStatement()) {
      return sql.render(model, runner.plan(sql.model(model), st).batch(), false);
    }
  }

  /** The tables the oracle computes, read from Trino. */
  Map<String, List<List<String>>> readAll() throws SQLException {
    Map<String, List<List<String>>> out = new LinkedHashMap<>();
    for (String t : oracle.tables(List.of()).keySet()) {
      out.put(t, read(t));
    }
    return out;
  }

  /** Rows of {@code schema.table} as canonical text, columns in table order. */
  List<List<String>> read(String table) throws SQLException {
    String[] st = table.split("\\.");
    List<String> exprs = new ArrayList<>();
    try (Connection c = trino.open(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT column_name, data_type FROM " + Sql.CATALOG
          + ".information_schema.columns WHERE table_schema = " + Sql.string(st[0]) + " AND table_name = "
          + Sql.string(st[1]) + " ORDER BY ordinal_position")) {
        while (rs.next()) {
          String col = Sql.id(rs.getString(1));
          exprs.add(rs.getString(2).startsWith("timestamp")
              ? "CAST(CAST(round(to_unixtime(" + col + ") * 1e6) AS bigint) AS varchar)"
              : "CAST(" + col + " AS varchar)");
        }
      }
      if (exprs.isEmpty()) {
        throw new IllegalStateException("table " + table + " does not exist");
      }
      List<List<String>> rows = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT " + String.join(", ", exprs) + " FROM " + Sql.CATALOG + "." + table)) {
        while (rs.next()) {
          List<String> row = new ArrayList<>();
          for (int i = 1; i <= exprs.size(); i++) {
            row.add(rs.getString(i));
          }
          rows.add(row);
        }
      }
      return rows;
    }
  }

  long count(String relation) throws SQLException {
    try (Connection c = trino.open(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + Sql.CATALOG + "." + relation)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  List<List<String>> query(String sqlText) throws SQLException {
    return trino.query(sqlText);
  }
}
