package dev.lakehouse.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.LakehouseWorkflows;
import dev.lakehouse.workflows.MaterializerWorkflow;
import dev.lakehouse.workflows.assets.AssetGraph;
import dev.lakehouse.workflows.testing.LocalTemporalServer;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The console against an in-process Temporal server with the workflows registered (no activities) and no Trino
 * (a closed port): pages and JSON say Trino is unreachable instead of failing, the buttons need the page's CSRF
 * token, and Pause and Materialize reach the coordinator as the CLI's signals do.
 */
class ConsoleServerTest {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]+)\"");
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private LocalTemporalServer temporal;
  private WorkflowServiceStubs stubs;
  private WorkerFactory workers;
  private ExecutorService pool;
  private ConsoleServer console;
  private String base;

  private PipelineSpec start(boolean withTemporal) throws IOException {
    int consolePort = freePort();
    int closed = freePort();
    String temporalPort = String.valueOf(closed);
    if (withTemporal) {
      temporal = new LocalTemporalServer();
      temporalPort = String.valueOf(temporal.port());
    }
    PipelineSpec spec = SpecLoader.load(Map.of("lakehouse.endpoints.console.port", consolePort,
        "lakehouse.endpoints.trino.port", closed, "lakehouse.endpoints.temporal.port", temporalPort));
    if (withTemporal) {
      stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
          .setTarget(temporal.target()).build());
      workers = WorkerFactory.newInstance(WorkflowClient.newInstance(stubs,
          WorkflowClientOptions.newBuilder().setNamespace("default").build()));
      LakehouseWorkflows.register(workers.newWorker(spec.endpoints().temporal().taskQueue()),
          AssetGraph.fromSpec(spec));
      workers.start();
    }
    pool = Executors.newFixedThreadPool(4);
    console = new ConsoleServer(spec, pool, ConsoleMain.mermaidVersion());
    base = "http://127.0.0.1:" + console.start();
    return spec;
  }

  @AfterEach
  void stop() throws Exception {
    if (console != null) {
      console.close();
    }
    if (pool != null) {
      pool.shutdownNow();
    }
    if (workers != null) {
      workers.shutdownNow();
      stubs.shutdownNow();
    }
    if (temporal != null) {
      temporal.close();
    }
  }

  @Test
  void pagesSayWhatIsUnreachableInsteadOfFailing() throws Exception {
    start(false);
    for (String page : new String[] {"/assets", "/assets/data_vault.s_users", "/runs", "/ingestion"}) {
      HttpResponse<String> r = get(page);
      assertThat(r.statusCode()).as(page).isEqualTo(200);
      assertThat(r.body()).as(page).contains("data-problem");
    }
    // Temporal: refused, or on a busy machine not even that within the page's wait
    assertThat(get("/assets").body()).contains("Trino at jdbc:trino://127.0.0.1:").contains("is unreachable")
        .containsAnyOf("cannot reach Temporal at 127.0.0.1:", "Temporal did not answer within")
        .contains("flowchart LR")
        .contains("data-asset=\"data_vault.s_users\"").contains("/webjars/mermaid/");
    assertThat(get("/api/assets").body()).contains("\"key\":\"data_vault.s_users\"").contains("\"problems\":[\"Trino");
    assertThat(get("/api/runs").body()).contains("\"value\":null").contains("Temporal");
    assertThat(get("/assets/data_vault.nope").statusCode()).isEqualTo(404);
    assertThat(get("/webjars/mermaid/" + ConsoleMain.mermaidVersion() + "/dist/mermaid.min.js").statusCode())
        .isEqualTo(200);
  }

  @Test
  void buttonsNeedTheTokenAndSendTheCoordinatorsSignals() throws Exception {
    start(true);
    assertThat(post("/runs/pause", "csrf=forged").statusCode()).isEqualTo(403);
    String token = csrf(get("/runs").body());

    HttpResponse<String> paused = post("/runs/pause", "csrf=" + token);
    assertThat(paused.statusCode()).isEqualTo(303);
    assertThat(paused.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).startsWith("/runs?"));
    HttpResponse<String> materialize = post("/assets/data_vault.s_users/materialize", "csrf=" + token
        + "&downstream=on");
    assertThat(materialize.statusCode()).isEqualTo(303);
    // "sent", or on a busy machine "not confirmed within" the page's wait: what arrived is checked below
    assertThat(URLDecoder.decode(materialize.headers().firstValue("Location").orElseThrow(), StandardCharsets.UTF_8))
        .contains("materialization of 'data_vault.s_users+'").doesNotContain("NOT sent");

    MaterializerWorkflow coordinator = WorkflowClient.newInstance(stubs).newWorkflowStub(MaterializerWorkflow.class,
        Lakehouse.MATERIALIZER_ID);
    long arrived = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while ((!coordinator.status().paused() || coordinator.status().queue().isEmpty())
        && System.nanoTime() < arrived) {
      Thread.sleep(200);
    }
    var status = coordinator.status();
    assertThat(status.paused()).isTrue();
    assertThat(status.queue()).singleElement().satisfies(q -> {
      assertThat(q.selection()).isEqualTo("data_vault.s_users+");
      assertThat(q.triggers()).containsExactly("ui");
      assertThat(q.reasons()).containsExactly("asset console");
    });
    // the runs page and its JSON show the same, once the read (single-flight) has caught up
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    String runs = get("/runs").body();
    while (!runs.contains("id=\"paused\">paused") && System.nanoTime() < deadline) {
      Thread.sleep(200);
      runs = get("/runs").body();
    }
    assertThat(runs).contains("id=\"paused\">paused").contains("data_vault.s_users+").contains("asset console");
    assertThat(get("/api/runs").body()).contains("\"paused\":true");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String form) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String csrf(String html) {
    Matcher m = CSRF.matcher(html);
    assertThat(m.find()).as("the page carries a CSRF token").isTrue();
    return m.group(1);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
