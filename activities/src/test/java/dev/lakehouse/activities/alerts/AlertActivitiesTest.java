package dev.lakehouse.activities.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.workflows.Incident;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhook post, against a real HTTP server on the loopback. */
class AlertActivitiesTest {
  static final Incident STALE = new Incident("freshness", Incident.Kind.FRESHNESS_VIOLATED, "data_vault.s_users",
      "data_vault.s_users lags 120 s, more than its max lag of 90 s", 1_765_000_000_000L,
      "ingestion-health-2026-12-06T07:40:00Z");

  HttpServer server;
  final List<String> bodies = new CopyOnWriteArrayList<>();
  int status = 200;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/hook", exchange -> {
      bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  AlertActivitiesImpl alerts(String format) {
    PipelineSpec spec = SpecLoader.load(Map.of("LAKEHOUSE_ALERTS_WEBHOOK_URL",
        "http://127.0.0.1:" + server.getAddress().getPort() + "/hook", "LAKEHOUSE_ALERTS_WEBHOOK_FORMAT", format));
    return new AlertActivitiesImpl(spec);
  }

  @Test
  void jsonCarriesKindStateAssetMessageSinceAndTheLinkToTheRun() throws IOException {
    assertThat(alerts("json").send(STALE, false)).isEqualTo("posted to 127.0.0.1");
    alerts("json").send(STALE, true);
    JsonNode opened = new ObjectMapper().readTree(bodies.get(0));
    assertThat(opened.get("kind").asText()).isEqualTo("freshness_violated");
    assertThat(opened.get("state").asText()).isEqualTo("opened");
    assertThat(opened.get("asset").asText()).isEqualTo("data_vault.s_users");
    assertThat(opened.get("message").asText()).contains("lags 120 s");
    assertThat(opened.get("since").asText()).isEqualTo("2025-12-06T05:46:40Z");
    assertThat(opened.get("link").asText()).isEqualTo(
        "http://127.0.0.1:8233/namespaces/default/workflows/ingestion-health-2026-12-06T07%3A40%3A00Z");
    assertThat(new ObjectMapper().readTree(bodies.get(1)).get("state").asText()).isEqualTo("resolved");
  }

  @Test
  void slackGetsOneTextLine() throws IOException {
    alerts("slack").send(STALE, true);
    JsonNode body = new ObjectMapper().readTree(bodies.get(0));
    assertThat(body.size()).isEqualTo(1);
    assertThat(body.get("text").asText()).startsWith("RESOLVED lakehouse freshness_violated data_vault.s_users: ")
        .contains("<http://127.0.0.1:8233/namespaces/default/workflows/");
  }

  @Test
  void aRefusingSinkFailsTheAttemptSoTemporalRetriesIt() {
    status = 503;
    assertThatThrownBy(() -> alerts("json").send(STALE, false)).isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("answered 503");
    server.stop(0);
    assertThatThrownBy(() -> alerts("json").send(STALE, false)).isInstanceOf(ApplicationFailure.class)
        .satisfies(e -> assertThat(((ApplicationFailure) e).isNonRetryable()).isFalse());
  }

  @Test
  void withoutAWebhookNothingIsPosted() {
    assertThat(new AlertActivitiesImpl(SpecLoader.load()).send(STALE, false)).startsWith("alerts off");
    assertThat(bodies).isEmpty();
  }
}
