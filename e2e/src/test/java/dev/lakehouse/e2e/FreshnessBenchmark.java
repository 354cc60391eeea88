package dev.lakehouse.e2e;

import static org.awaitility.Awaitility.await;

import dev.lakehouse.stack.Demo;
import dev.lakehouse.stack.Endpoints;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import dev.lakehouse.worker.LakehouseWorker;
import dev.lakehouse.worker.WorkerConfig;
import dev.lakehouse.worker.WorkerMain;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.MaterializerStatus;
import dev.lakehouse.workflows.MaterializerWorkflow;
import dev.lakehouse.workflows.assets.AssetGraph;
import dev.lakehouse.workflows.assets.AssetKind;
import dev.lakehouse.workflows.spec.PipelineSpec;
import dev.lakehouse.workflows.spec.SpecLoader;
import io.temporal.client.WorkflowClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Freshness (printed, not asserted; `-Pbenchmark`): 50 single-row updates, one per second; for each, the time
 * from the PostgreSQL commit to the new row being visible in data_vault.s_users. First with the spec's defaults
 * (checkpoint 10 s, sensors 5 s), then with the seed's settings (checkpoint 60 s, sensors 30 s) on the same
 * stack: the Flink job is cancelled and resubmitted with the new interval, the sensors restarted. Each phase starts
 * from an idle pipeline (every model run once, nothing running or queued). With {@code -Dfreshness.stages=true}
 * each phase also prints where the time goes: commit to raw_data.users, raw to parsed_users, parsed_users to s_users.
 */
@ExtendWith(LakehouseStackExtension.class)
class FreshnessBenchmark {
  static final String USER = "6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
  static final int UPDATES = Integer.getInteger("freshness.updates", 50);
  /**
   * {@code -Dfreshness.stages=true}: also poll raw_data.users and parsed_users to print where the time goes. Off by
   * default: the bigger poll competes with the models for Trino on a small machine and slows what it measures.
   */
  static final boolean STAGES = Boolean.getBoolean("freshness.stages");

  @Test
  void freshness(Endpoints e) throws Exception {
    double[] fast = phase(e, "10s", "5s", 0);
    double[] seed = phase(e, "60s", "30s", 1);
    System.out.printf("FRESHNESS ratio seed/default: p50 %.2fx, p95 %.2fx, max %.2fx%n", seed[0] / fast[0],
        seed[1] / fast[1], seed[2] / fast[2]);
  }

  /** One measured phase; returns p50, p95, max in seconds. */
  private double[] phase(Endpoints e, String checkpoint, String sensor, int n) throws Exception {
    Map<String, Object> o = new HashMap<>(LakehouseStackExtension.configOverrides());
    o.put("lakehouse.schedules.flink-checkpoint-interval", checkpoint);
    o.put("lakehouse.schedules.sensor-interval", sensor);
    PipelineSpec spec = SpecLoader.load(o);
    LakehouseWorker worker = WorkerMain.create(WorkerMain.modules(spec, WorkerConfig.from(spec, Map.of())));
    worker.start();
    try {
      WorkflowClient client = worker.client();
      if (n > 0) {
        // new settings: sensors restarted with the new interval, the Flink job resubmitted with the new checkpoint
        for (String id : List.of(Lakehouse.sensorId("raw_data.users"), Lakehouse.sensorId("raw_data.accounts"))) {
          client.newUntypedWorkflowStub(id).terminate("freshness benchmark: new sensor interval");
        }
        cancelIngestJob(e);
      }
      dev.lakehouse.workflows.Automation.ensureIngestionSetup(client, spec);
      dev.lakehouse.workflows.Automation.ensure(client, spec);
      if (n == 0) {
        Demo.apply(e, spec.source().slot(), 600, System.out::println); // waits until Debezium streams
      }
      String hk = Vault.hashKey(USER);
      try (Connection pg = Vault.postgres(e); Statement s = pg.createStatement()) {
        s.execute("INSERT INTO users (id, email, name) VALUES ('" + USER + "', 'fresh@lakehouse.dev', 'start')"
            + " ON CONFLICT (id) DO NOTHING");
      }
      awaitName(e, hk, n == 0 ? "start" : "p0-" + (UPDATES - 1), Duration.ofMinutes(10));
      // measure from an idle pipeline: every model created and run once (the first runs create tables, slow), no run
      // in progress or queued; otherwise the first updates wait behind the setup and measure it
      MaterializerWorkflow coordinator = client.newWorkflowStub(MaterializerWorkflow.class, Lakehouse.MATERIALIZER_ID);
      int models = AssetGraph.fromSpec(spec).ofKind(AssetKind.MODEL).size();
      await("the coordinator idle, every model materialized").atMost(Duration.ofMinutes(10))
          .pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
            MaterializerStatus s = coordinator.status();
            return s.running() == null && s.queue().isEmpty() && s.materializations().size() == models;
          });

      Map<String, Long> seen = new ConcurrentHashMap<>();
      Thread poller = new Thread(() -> poll(e, hk, seen), "freshness-poller");
      poller.setDaemon(true);
      poller.start();
      Map<String, Long> committed = new HashMap<>();
      try (Connection pg = Vault.postgres(e);
           PreparedStatement u = pg.prepareStatement("UPDATE users SET name = ? WHERE id = '" + USER + "'")) {
        for (int i = 0; i < UPDATES; i++) {
          String name = "p" + n + "-" + i;
          long start = System.nanoTime();
          u.setString(1, name);
          u.executeUpdate(); // autocommit: committed when this returns
          committed.put(name, System.nanoTime());
          Thread.sleep(Math.max(0, 1000 - (System.nanoTime() - start) / 1_000_000));
        }
      }
      await("all " + UPDATES + " updates visible").atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1))
          .until(() -> committed.keySet().stream().allMatch(n2 -> seen.containsKey("vault " + n2)));
      poller.interrupt();
      double[] r = percentiles(committed, seen, null, "vault");
      System.out.printf("FRESHNESS checkpoint %s, sensors %s: %d updates, commit -> visible in s_users: p50 %.1f s,"
          + " p95 %.1f s, max %.1f s%n", checkpoint, sensor, UPDATES, r[0], r[1], r[2]);
      // where the time goes: the same updates seen in raw (Debezium, Kafka, Flink checkpoint + commit), then in
      // parsed_users (sensor poll, coordinator queue, the parsed model), then in s_users (the vault level)
      if (!STAGES) {
        return r;
      }
      double[] raw = percentiles(committed, seen, null, "raw");
      double[] parsed = percentiles(committed, seen, "raw", "parsed");
      double[] vault = percentiles(committed, seen, "parsed", "vault");
      System.out.printf("FRESHNESS stages (p50 / p95): commit -> raw %.1f / %.1f s, raw -> parsed_users %.1f / %.1f s,"
          + " parsed_users -> s_users %.1f / %.1f s%n", raw[0], raw[1], parsed[0], parsed[1], vault[0], vault[1]);
      return r;
    } finally {
      worker.close();
    }
  }

  private static void awaitName(Endpoints e, String hk, String name, Duration max) {
    await("s_users has " + name).atMost(max).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
        .until(() -> {
          try (Connection t = Vault.trino(e)) {
            return Vault.count(t, "SELECT count(*) FROM data_vault.s_users WHERE h_users_hk = '" + hk
                + "' AND name = '" + name + "'") > 0;
          }
        });
  }

  /**
   * p50, p95, max of the time from {@code from} (null: the commit) to {@code to} per update; an update seen in
   * {@code to} within the same poll as in {@code from} counts 0.
   */
  private static double[] percentiles(Map<String, Long> committed, Map<String, Long> seen, String from, String to) {
    List<Double> lat = new ArrayList<>();
    committed.forEach((name, t) -> {
      Long start = from == null ? t : seen.get(from + " " + name);
      Long end = seen.get(to + " " + name);
      if (start != null && end != null) {
        lat.add(Math.max(0, end - start) / 1e9);
      }
    });
    if (lat.isEmpty()) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN};
    }
    lat.sort(Double::compare);
    return new double[] {lat.get(lat.size() / 2), lat.get((int) Math.ceil(lat.size() * 0.95) - 1),
        lat.get(lat.size() - 1)};
  }

  /**
   * Records when each name first shows up in data_vault.s_users (and, with {@link #STAGES}, raw_data.users and
   * parsed_data.parsed_users: one query for the three), every 500 ms, as "vault name", "raw name", "parsed name".
   */
  private static void poll(Endpoints e, String hk, Map<String, Long> seen) {
    String vault = "SELECT 'vault', name FROM data_vault.s_users WHERE h_users_hk = '" + hk + "'";
    String query = !STAGES ? vault : "SELECT 'raw', json_extract_scalar(data, '$.name') FROM raw_data.users"
        + " WHERE json_extract_scalar(data, '$.id') = '" + USER + "'"
        + " UNION ALL SELECT 'parsed', name FROM parsed_data.parsed_users WHERE CAST(id AS varchar) = '" + USER + "'"
        + " UNION ALL " + vault;
    while (!Thread.currentThread().isInterrupted()) {
      try (Connection t = Vault.trino(e); Statement s = t.createStatement(); ResultSet rs = s.executeQuery(query)) {
        long now = System.nanoTime();
        while (rs.next()) {
          seen.putIfAbsent(rs.getString(1) + " " + rs.getString(2), now);
        }
        Thread.sleep(500);
      } catch (InterruptedException ex) {
        return;
      } catch (Exception ex) {
        // the table may not exist yet; try again
      }
    }
  }

  private static void cancelIngestJob(Endpoints e) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String jobs = http.send(HttpRequest.newBuilder(URI.create(e.flinkRestUrl() + "/jobs/overview")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = Pattern.compile("\"jid\":\"([0-9a-f]+)\",\"name\":\"lakehouse-ingest\"[^}]*?\"state\":\"RUNNING\"")
        .matcher(jobs);
    while (m.find()) {
      http.send(HttpRequest.newBuilder(URI.create(e.flinkRestUrl() + "/jobs/" + m.group(1) + "?mode=cancel"))
          .method("PATCH", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
  }
}
