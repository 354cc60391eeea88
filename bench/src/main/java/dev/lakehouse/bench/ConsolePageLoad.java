package dev.lakehouse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.activities.iceberg.CatalogActivitiesImpl;
import dev.lakehouse.activities.trino.ModelRunner;
import dev.lakehouse.activities.trino.TrinoConnections;
import dev.lakehouse.bench.Report.Load;
import dev.lakehouse.bench.Stats.Summary;
import dev.lakehouse.models.ModelSql;
import dev.lakehouse.models.ModelStatement;
import dev.lakehouse.models.OpsSql;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.stack.ConsoleProcess;
import dev.lakehouse.stack.StackFiles;
import dev.lakehouse.starter.TrinoReads;
import dev.lakehouse.workflows.assets.Asset;
import dev.lakehouse.workflows.assets.AssetGraph;
import dev.lakehouse.workflows.assets.AssetKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The asset console's page load, measured on the bench's stack with no pipeline running: a spec of at least
 * {@link #ASSETS} assets (the checkout's plus generated user models), one real run of every generated model (so
 * every table the page reads exists; a model whose run read nothing, and every user model, gets a row of its own
 * with empty input ranges), {@link #HISTORY} more rows in {@code ops.materializations} (copies of those runs, in
 * {@link #COMMITS} INSERTs), then the console jar as its own process and sequential GETs of {@code /assets} and
 * {@code /api/assets} (warm-up left out). The Trino read behind both pages ({@code lakehouse status}'s per-model
 * state) is timed alone as well, so the split between Trino and the console's own work is measured, not guessed.
 */
final class ConsolePageLoad {
  static final int ASSETS = 50;
  static final int HISTORY = 10_000;
  static final int COMMITS = 20;
  static final double P95_TARGET_MS = 300;
  private static final int WARM_UP = 10;

  /**
   * What was measured: the graph's size, the history's, each page's and the Trino read's time (ms), and how many
   * page answers said a read did not answer within the page's budget (they showed the previous read).
   */
  record Result(int assets, int models, long materializations, double setupS, Summary assetsPageMs,
      Summary apiAssetsMs, Summary trinoReadMs, double trinoQueriesPerRead, double trinoCpuMsPerRead,
      int staleAnswers, Load load) {}

  private final BenchStack bs;
  private final TrinoQueryStats stats;
  private final Consumer<String> out;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ConsolePageLoad(BenchStack bs, Consumer<String> out) {
    this.bs = bs;
    this.stats = new TrinoQueryStats(bs.endpoints());
    this.out = out;
  }

  Result run(Path work, int requests) throws Exception {
    long t0 = System.nanoTime();
    Path models = work.resolve("console-models");
    Path root = StackFiles.reactorRoot(Paths.get("").toAbsolutePath());
    int base = AssetGraph.fromSpec(bs.spec(Map.of())).keys().size();
    List<String> generated = ConsoleFixture.writeModels(models, root == null ? null : root.resolve("transform"),
        ConsoleFixture.extraModels(base, ASSETS));
    Map<String, String> env = Map.of("LAKEHOUSE_USER_MODELS_PATH", models.toString());
    PipelineSpec spec = bs.spec(Map.of("LAKEHOUSE_USER_MODELS_PATH", models.toString()));
    AssetGraph graph = AssetGraph.fromSpec(spec);
    ModelSql sql = new ModelSql(spec);
    List<String> keys = graph.ofKind(AssetKind.MODEL).stream().map(Asset::key).toList();
    List<String> own = keys.stream().filter(k -> spec.userModel(k).isEmpty()).toList();
    out.accept(String.format("%d assets (%d generated user models), %d models; one run of each of the %d generated"
        + " models (the tables the pages read)", graph.keys().size(), generated.size(), keys.size(), own.size()));

    TrinoConnections trino = new TrinoConnections(spec.trino());
    CatalogActivitiesImpl catalog = new CatalogActivitiesImpl(spec);
    catalog.ensureNamespaces();
    catalog.ensureRawTables();
    ModelRunner runner = new ModelRunner(sql, trino, Clock.systemUTC());
    for (String key : own) {
      runner.materialize(key, ConsoleFixture.INITIAL_RUN, false);
    }
    long history;
    try (Connection c = trino.open(); Statement st = c.createStatement()) {
      for (ModelStatement ddl : OpsSql.ddl()) {
        st.execute(ddl.sql());
      }
      st.execute(ConsoleFixture.initialRuns(keys));
      for (String insert : ConsoleFixture.historyInserts(HISTORY, COMMITS, keys.size())) {
        st.execute(insert);
      }
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + OpsSql.TABLE)) {
        rs.next();
        history = rs.getLong(1);
      }
    }
    double setup = (System.nanoTime() - t0) / 1e9;
    out.accept(String.format("%,d rows in %s (%d commits of history); setup %.0f s; starting the console",
        history, OpsSql.TABLE, COMMITS, setup));

    // the Trino read alone, as the console makes it (TrinoReads of lakehouse status)
    TrinoReads reads = new TrinoReads(spec.trino());
    reads.assets(sql, graph);
    List<Double> trinoMs = new ArrayList<>();
    Instant from = Instant.now().minusMillis(50);
    int trinoReads = Math.max(5, requests / 5);
    for (int i = 0; i < trinoReads; i++) {
      long s = System.nanoTime();
      reads.assets(sql, graph);
      trinoMs.add((System.nanoTime() - s) / 1e6);
    }
    TrinoQueryStats.Totals t = stats.since(from);
    Summary trinoRead = Stats.summarize(trinoMs);
    out.accept(String.format("Trino read alone (n=%d): p50 %.0f ms / p95 %.0f ms / max %.0f ms; %.1f queries and"
        + " %.0f ms Trino CPU per read", trinoRead.n(), trinoRead.p50(), trinoRead.p95(), trinoRead.max(),
        t.queries() / (double) trinoReads, t.cpuSeconds() * 1000 / trinoReads));

    ConsoleProcess console = bs.startConsole(env);
    String url = spec.endpoints().console().url();
    int[] stale = {0};
    List<Double> page = new ArrayList<>();
    List<Double> api = new ArrayList<>();
    try {
      for (int i = 0; i < WARM_UP; i++) {
        get(url + "/assets", null);
        get(url + "/api/assets", null);
      }
      for (int i = 0; i < requests; i++) {
        page.add(get(url + "/assets", null));
        api.add(get(url + "/api/assets", stale));
      }
    } finally {
      console.stop();
      // the phases after this one start from empty tables, as they would without it
      new IncrementalScaling(spec, stats, out).reset(false);
    }
    Result r = new Result(graph.keys().size(), keys.size(), history, setup, Stats.summarize(page),
        Stats.summarize(api), trinoRead, t.queries() / (double) trinoReads, t.cpuSeconds() * 1000 / trinoReads,
        stale[0], Load.now());
    out.accept(String.format("/assets p50 %.0f ms / p95 %.0f ms / max %.0f ms; /api/assets p50 %.0f / p95 %.0f /"
        + " max %.0f ms (n=%d each; %d of the JSON answers said Trino was late) (load %s)", r.assetsPageMs().p50(),
        r.assetsPageMs().p95(), r.assetsPageMs().max(), r.apiAssetsMs().p50(), r.apiAssetsMs().p95(),
        r.apiAssetsMs().max(), requests, stale[0], r.load()));
    return r;
  }

  /**
   * One GET, timed to the last byte; not 200 is an error. With {@code stale}, counts the JSON answers whose
   * problems say a read did not answer within the page's budget.
   */
  private double get(String url, int[] stale) throws Exception {
    long s = System.nanoTime();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .build(), HttpResponse.BodyHandlers.ofString());
    double ms = (System.nanoTime() - s) / 1e6;
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET " + url + " answered " + r.statusCode() + ": " + r.body().lines()
          .findFirst().orElse(""));
    }
    if (stale != null && late(new ObjectMapper().readTree(r.body()))) {
      stale[0]++;
    }
    return ms;
  }

  /**
   * Whether a {@code /api/assets} answer says its Trino read was later than the page's budget: a note that it shows
   * an older read, or (no read yet) a problem that Trino did not answer.
   */
  static boolean late(JsonNode assets) {
    for (JsonNode n : assets.path("notes")) {
      if (n.asText().startsWith("Trino")) {
        return true;
      }
    }
    for (JsonNode p : assets.path("problems")) {
      if (p.asText().startsWith("Trino did not answer within")) {
        return true;
      }
    }
    return false;
  }
}
