package dev.lakehouse.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lakehouse.models.Batch;
import dev.lakehouse.models.ModelSql;
import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.starter.AssetStatus;
import dev.lakehouse.workflows.Automation;
import dev.lakehouse.workflows.BackfillRequest;
import dev.lakehouse.workflows.HealthReport;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.MaterializeRequest;
import dev.lakehouse.workflows.MaterializerStatus;
import dev.lakehouse.workflows.Trigger;
import dev.lakehouse.workflows.assets.Asset;
import dev.lakehouse.workflows.assets.AssetGraph;
import dev.lakehouse.workflows.assets.AssetKind;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.javalin.json.JavalinJackson;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The asset console's HTTP side (Javalin, JTE templates compiled at build time): the pages, the JSON API and the
 * buttons. A button sends what the CLI sends (signalWithStart on {@code materializer} through {@link Automation}),
 * with trigger {@code ui}; it is a POST carrying the page's CSRF token. Every answer waits at most {@link #BUDGET}
 * for Trino and Temporal and says what it could not reach.
 */
public final class ConsoleServer implements AutoCloseable {
  /** What a page or JSON answer waits for its reads; the rest of the second is rendering. */
  static final Duration BUDGET = Duration.ofMillis(700);

  private final PipelineSpec spec;
  private final AssetGraph graph;
  private final ConsoleReads reads;
  private final ExecutorService pool;
  private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
  private final String csrf;
  private final String mermaidScript;
  private Javalin app;

  public ConsoleServer(PipelineSpec spec, ExecutorService pool, String mermaidVersion) {
    this.spec = spec;
    this.graph = AssetGraph.fromSpec(spec);
    this.pool = pool;
    this.reads = new ConsoleReads(spec, graph, pool);
    byte[] token = new byte[16];
    new SecureRandom().nextBytes(token);
    this.csrf = HexFormat.of().formatHex(token);
    this.mermaidScript = "/webjars/mermaid/" + mermaidVersion + "/dist/mermaid.min.js";
  }

  /** Starts serving on the spec's console endpoint; returns the bound port. */
  public int start() {
    ObjectMapper json = new ObjectMapper().findAndRegisterModules()
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.staticFiles.enableWebjars();
      config.jsonMapper(new JavalinJackson(json, false));
    });
    app.get("/", ctx -> ctx.redirect("/assets"));
    app.get("/assets", ctx -> html(ctx, "assets.jte", assetsPage(ctx)));
    app.get("/assets/{key}", ctx -> html(ctx, "asset.jte", assetPage(ctx, asset(ctx))));
    app.post("/assets/{key}/materialize", ctx -> signal(ctx, asset(ctx), false));
    app.post("/assets/{key}/backfill", ctx -> signal(ctx, asset(ctx), true));
    app.get("/runs", ctx -> html(ctx, "runs.jte", runsPage(ctx)));
    app.post("/runs/pause", ctx -> pause(ctx, true));
    app.post("/runs/resume", ctx -> pause(ctx, false));
    app.get("/ingestion", ctx -> html(ctx, "ingestion.jte", ingestionPage(ctx)));
    app.get("/api/assets", ctx -> ctx.json(assetsJson()));
    app.get("/api/assets/{key}", ctx -> ctx.json(assetJson(asset(ctx))));
    app.get("/api/runs", ctx -> ctx.json(readingJson(reads.coordinator(BUDGET))));
    app.get("/api/health", ctx -> ctx.json(readingJson(reads.health(BUDGET))));
    Endpoints.Console c = spec.endpoints().console();
    app.start(c.host(), c.port());
    warmUp();
    return app.port();
  }

  /** Loads the templates' classes and starts the first reads, so the first page is as quick as the next. */
  private void warmUp() {
    reads.startAll();
    Pages.Frame f = new Pages.Frame("", "assets", List.of(), List.of(), null, csrf, mermaidScript);
    List<AssetView> none = AssetView.of(graph, Map.of(), null, null, Instant.now());
    templates.render("assets.jte", new Pages.Assets(f, none, AssetView.mermaid(graph, none)), new StringOutput());
    templates.render("runs.jte", new Pages.Runs(f, null, ""), new StringOutput());
    templates.render("ingestion.jte", new Pages.Ingestion(f, null, "", ""), new StringOutput());
  }

  private Asset asset(Context ctx) {
    return graph.asset(ctx.pathParam("key")).orElseThrow(() -> new NotFoundResponse("no asset '"
        + ctx.pathParam("key") + "' in the spec; the assets page lists them"));
  }

  private void html(Context ctx, String template, Object page) {
    StringOutput out = new StringOutput();
    templates.render(template, page, out);
    ctx.html(out.toString());
  }

  private Pages.Frame frame(Context ctx, String title, String active, List<String> problems, List<String> notes) {
    return new Pages.Frame(title, active, problems, notes, ctx.queryParam("message"), csrf, mermaidScript);
  }

  private Pages.Frame frame(Context ctx, String title, String active, Reading<?> r) {
    return frame(ctx, title, active, r.ok() ? List.of() : List.of(r.problem()),
        r.note() == null ? List.of() : List.of(r.note()));
  }

  /** The problems and the notes of some readings, each once. */
  private record Remarks(List<String> problems, List<String> notes) {
    static Remarks of(List<? extends Reading<?>> readings) {
      Remarks m = new Remarks(new ArrayList<>(), new ArrayList<>());
      readings.forEach(m::add);
      return m;
    }

    /** A copy to add to (a page's reads on top of the shared state's). */
    Remarks copy() {
      return new Remarks(new ArrayList<>(problems), new ArrayList<>(notes));
    }

    Remarks add(Reading<?> r) {
      if (!r.ok() && !problems.contains(r.problem())) {
        problems.add(r.problem());
      }
      if (r.note() != null && !notes.contains(r.note())) {
        notes.add(r.note());
      }
      return this;
    }
  }

  /** The reads every page needs, waited for together within the budget. */
  private record State(List<AssetView> views, Remarks remarks, MaterializerStatus coordinator,
      HealthReport health) {}

  private State state() {
    return state(System.nanoTime() + BUDGET.toNanos());
  }

  private State state(long deadline) {
    reads.startAll();
    Reading<List<AssetStatus.State>> models = reads.assets(left(deadline));
    Reading<MaterializerStatus> coordinator = reads.coordinator(left(deadline));
    Reading<HealthReport> health = reads.health(left(deadline));
    Remarks remarks = Remarks.of(List.of(models, coordinator, health));
    List<AssetView> views = AssetView.of(graph, ConsoleReads.byKey(models.value()), coordinator.value(),
        health.value(), Instant.now());
    return new State(views, remarks, coordinator.value(), health.value());
  }

  private static Duration left(long deadline) {
    return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
  }

  private Pages.Assets assetsPage(Context ctx) {
    State s = state();
    return new Pages.Assets(frame(ctx, "Assets", "assets", s.remarks().problems(), s.remarks().notes()), s.views(), AssetView.mermaid(graph,
        s.views()));
  }

  private Pages.AssetPage assetPage(Context ctx, Asset asset) {
    long deadline = System.nanoTime() + BUDGET.toNanos();
    boolean model = asset.kind() == AssetKind.MODEL;
    if (model) { // with the page's other reads, within one budget
      reads.startAsset(asset.key());
    }
    State s = state(deadline);
    Remarks remarks = s.remarks().copy();
    Table history = null;
    Table checks = null;
    String checksProblem = null;
    if (model) {
      Reading<Table> h = reads.history(asset.key(), left(deadline));
      Reading<Table> c = reads.checks(asset.key(), left(deadline));
      history = h.value();
      checks = c.value();
      checksProblem = c.problem();
      remarks.add(h);
    }
    String sql = null;
    String sqlProblem = null;
    if (model) {
      try {
        sql = new ModelSql(spec).render(asset.key(), Batch.all(), false);
      } catch (IllegalArgumentException e) {
        sqlProblem = e.getMessage();
      }
    }
    AssetView view = s.views().stream().filter(v -> v.key().equals(asset.key())).findFirst().orElseThrow();
    return new Pages.AssetPage(frame(ctx, asset.key(), "assets", remarks.problems(), remarks.notes()), view, asset.upstream(),
        graph.downstreamOf(asset.key()), history, checks, checksProblem, sql, sqlProblem, workflowsUrl(), model);
  }

  private Pages.Runs runsPage(Context ctx) {
    Reading<MaterializerStatus> r = reads.coordinator(BUDGET);
    return new Pages.Runs(frame(ctx, "Runs", "runs", r), r.value(),
        workflowsUrl());
  }

  private Pages.Ingestion ingestionPage(Context ctx) {
    Reading<HealthReport> r = reads.health(BUDGET);
    return new Pages.Ingestion(frame(ctx, "Ingestion", "ingestion", r),
        r.value(), spec.endpoints().flink().url(), workflowsUrl());
  }

  /**
   * {@code http://<temporal-ui>/namespaces/<ns>/workflows}: a run's page is this plus {@code /<id>}. The UI is the
   * alerts' ({@code alerts.ui-url}, when set): in Docker the Temporal host is a name the browser cannot resolve.
   */
  private String workflowsUrl() {
    return spec.alerts().uiUrl(spec.endpoints()) + "/namespaces/" + spec.endpoints().temporal().namespace()
        + "/workflows";
  }

  private void checkCsrf(Context ctx) {
    if (!csrf.equals(ctx.formParam("csrf"))) {
      throw new ForbiddenResponse("missing or stale CSRF token: reload the page and press the button again");
    }
  }

  /** Materialize (incremental) or backfill (full refresh) the asset, with its downstream when asked. */
  private void signal(Context ctx, Asset asset, boolean fullRefresh) {
    checkCsrf(ctx);
    String selection = asset.key() + ("on".equals(ctx.formParam("downstream")) ? "+" : "");
    String what = (fullRefresh ? "backfill (full refresh) of '" : "materialization of '") + selection + "'";
    String message = send(what, () -> {
      if (fullRefresh) {
        Automation.backfill(reads.session().client(), spec, new BackfillRequest(selection, true, "asset console",
            Trigger.UI));
      } else {
        Automation.request(reads.session().client(), spec, new MaterializeRequest(selection, "asset console",
            Trigger.UI));
      }
    });
    ctx.redirect("/assets/" + asset.key() + "?message=" + URLEncoder.encode(message, StandardCharsets.UTF_8),
        HttpStatus.SEE_OTHER);
  }

  private void pause(Context ctx, boolean paused) {
    checkCsrf(ctx);
    String message = send(paused ? "pause" : "resume", () -> Automation.setPaused(reads.session().client(), spec,
        paused));
    ctx.redirect("/runs?message=" + URLEncoder.encode(message, StandardCharsets.UTF_8),
        HttpStatus.SEE_OTHER);
  }

  /** Sends a signal within the budget; the message the page shows. */
  private String send(String what, Runnable signal) {
    CompletableFuture<Void> f = CompletableFuture.runAsync(signal, pool).whenComplete((v, e) -> reads.invalidate());
    try {
      f.get(BUDGET.toMillis(), TimeUnit.MILLISECONDS);
      return what + " sent to '" + Lakehouse.MATERIALIZER_ID + "' (trigger ui)";
    } catch (TimeoutException e) {
      return what + ": Temporal did not confirm within " + BUDGET.toMillis() + " ms; the runs page shows whether"
          + " it arrived";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return what + ": interrupted";
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return what + " NOT sent: Temporal at " + spec.endpoints().temporal().target() + " is unreachable ("
          + String.valueOf(cause.getMessage()).lines().findFirst().orElse("") + ")";
    }
  }

  private Map<String, Object> assetsJson() {
    State s = state();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("assets", s.views());
    m.put("problems", s.remarks().problems());
    m.put("notes", s.remarks().notes());
    return m;
  }

  private Map<String, Object> assetJson(Asset asset) {
    long deadline = System.nanoTime() + BUDGET.toNanos();
    if (asset.kind() == AssetKind.MODEL) {
      reads.startAsset(asset.key());
    }
    State s = state(deadline);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("asset", s.views().stream().filter(v -> v.key().equals(asset.key())).findFirst().orElseThrow());
    m.put("upstream", asset.upstream());
    m.put("downstream", graph.downstreamOf(asset.key()));
    Remarks remarks = s.remarks().copy();
    if (asset.kind() == AssetKind.MODEL) {
      Reading<Table> h = reads.history(asset.key(), left(deadline));
      m.put("materializations", h.value());
      remarks.add(h);
    }
    m.put("problems", remarks.problems());
    m.put("notes", remarks.notes());
    return m;
  }

  private static Map<String, Object> readingJson(Reading<?> r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("value", r.value());
    m.put("problem", r.problem());
    m.put("note", r.note());
    m.put("readAt", r.at());
    return m;
  }

  @Override
  public void close() {
    if (app != null) {
      app.stop();
    }
    reads.close();
  }
}
