package dev.lakehouse.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs docker/metabase/provision.sh (the metabase-provision one-shot of docker-compose.yml) against
 * a fake of the Metabase API calls it makes: first run completes the setup, adds the Trino
 * connection, the cards and the dashboard; a second run adds nothing. Needs sh, curl and jq on the
 * machine (as the provisioning image has); skipped without them.
 */
class MetabaseProvisionScriptTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SESSION = "session-1";

  private HttpServer server;
  private final FakeMetabase fake = new FakeMetabase();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", fake::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void completesSetupOnceAndIsIdempotent() throws Exception {
    assumeTrue(onPath("curl") && onPath("jq") && onPath("sh"), "needs sh, curl and jq on PATH");

    assertThat(runScript()).as("first run").isZero();
    assertThat(fake.setups).hasSize(1);
    JsonNode setup = fake.setups.get(0);
    assertThat(setup.path("token").asText()).isEqualTo("setup-token-1");
    assertThat(setup.path("user").path("email").asText()).isEqualTo("admin@lakehouse.local");
    assertThat(setup.path("prefs").path("allow_tracking").asBoolean(true)).isFalse();

    assertThat(fake.databases).hasSize(1);
    JsonNode db = fake.databases.get(0);
    assertThat(db.path("engine").asText()).isEqualTo("starburst");
    assertThat(db.path("details").path("host").asText()).isEqualTo("trino");
    assertThat(db.path("details").path("port").asInt()).isEqualTo(8080);
    assertThat(db.path("details").path("catalog").asText()).isEqualTo("iceberg");

    assertThat(fake.cards).extracting(c -> c.path("name").asText()).containsExactly(
        "Raw rows (raw_data)", "Parsed rows (parsed_data)", "Data Vault rows (data_vault)", "Latest users",
        "Latest accounts");
    assertThat(fake.cards).allSatisfy(c -> {
      assertThat(c.path("dataset_query").path("type").asText()).isEqualTo("native");
      assertThat(c.path("dataset_query").path("database").asInt()).isEqualTo(db.path("id").asInt());
    });
    String vaultSql = fake.cards.get(2).path("dataset_query").path("native").path("query").asText();
    for (String table : ComposeStackIT.EXPECTED_VAULT_ROWS.keySet()) {
      assertThat(vaultSql).contains("iceberg.data_vault." + table);
    }

    assertThat(fake.dashboards).hasSize(1);
    assertThat(fake.dashcardUpdates).hasSize(1);
    JsonNode dashcards = fake.dashcardUpdates.get(0).path("dashcards");
    assertThat(dashcards).hasSize(5);
    List<Integer> cardIds = new ArrayList<>();
    dashcards.forEach(d -> cardIds.add(d.path("card_id").asInt()));
    assertThat(cardIds).containsExactlyElementsOf(fake.cards.stream().map(c -> c.path("id").asInt()).toList());

    assertThat(runScript()).as("second run").isZero();
    assertThat(fake.setups).hasSize(1);
    assertThat(fake.databases).hasSize(1);
    assertThat(fake.cards).hasSize(5);
    assertThat(fake.dashboards).hasSize(1);
    assertThat(fake.dashcardUpdates).hasSize(1);
    assertThat(fake.unauthenticated).as("calls without the session header").isEmpty();
  }

  private int runScript() throws Exception {
    Path script = ComposeFile.repositoryRoot().resolve("docker/metabase/provision.sh");
    ProcessBuilder pb = new ProcessBuilder("sh", script.toString()).redirectErrorStream(true);
    pb.environment().put("MB_URL", "http://127.0.0.1:" + server.getAddress().getPort());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    System.out.print(out);
    return p.exitValue();
  }

  private static boolean onPath(String exe) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (java.nio.file.Files.isExecutable(Path.of(dir, exe))) {
        return true;
      }
    }
    return false;
  }

  /** Just the Metabase API surface provision.sh uses, with its answers' shapes. */
  static final class FakeMetabase {
    boolean userSetUp;
    final List<JsonNode> setups = new ArrayList<>();
    final List<ObjectNode> databases = new ArrayList<>();
    final List<ObjectNode> cards = new ArrayList<>();
    final List<ObjectNode> dashboards = new ArrayList<>();
    final List<JsonNode> dashcardUpdates = new ArrayList<>();
    final List<String> unauthenticated = new ArrayList<>();
    int nextId = 10;

    synchronized void handle(HttpExchange ex) throws IOException {
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getPath();
      String query = ex.getRequestURI().getQuery();
      byte[] in = ex.getRequestBody().readAllBytes();
      JsonNode body = in.length == 0 ? JSON.createObjectNode() : JSON.readTree(in);
      boolean open = path.equals("/api/health") || path.equals("/api/session/properties")
          || path.equals("/api/setup") || (path.equals("/api/session") && method.equals("POST"));
      if (!open && !SESSION.equals(ex.getRequestHeaders().getFirst("X-Metabase-Session"))) {
        unauthenticated.add(method + " " + path);
        reply(ex, 401, JSON.createObjectNode().put("message", "Unauthenticated"));
        return;
      }
      switch (method + " " + path) {
        case "GET /api/health" -> reply(ex, 200, JSON.createObjectNode().put("status", "ok"));
        case "GET /api/session/properties" -> {
          ObjectNode props = JSON.createObjectNode().put("has-user-setup", userSetUp);
          if (userSetUp) {
            props.putNull("setup-token");
          } else {
            props.put("setup-token", "setup-token-1");
          }
          reply(ex, 200, props);
        }
        case "POST /api/setup" -> {
          if (userSetUp || !"setup-token-1".equals(body.path("token").asText())) {
            reply(ex, 403, JSON.createObjectNode().put("message", "setup already done or bad token"));
            return;
          }
          userSetUp = true;
          setups.add(body);
          reply(ex, 200, JSON.createObjectNode().put("id", SESSION));
        }
        case "POST /api/session" -> reply(ex, userSetUp ? 200 : 401, JSON.createObjectNode().put("id", SESSION));
        case "GET /api/database" -> {
          ObjectNode r = JSON.createObjectNode();
          r.putArray("data").addAll(new ArrayList<>(databases));
          r.put("total", databases.size());
          reply(ex, 200, r);
        }
        case "POST /api/database" -> reply(ex, 200, created(databases, body));
        case "GET /api/card" -> {
          assertThat(query).isEqualTo("f=all");
          reply(ex, 200, array(cards));
        }
        case "POST /api/card" -> reply(ex, 200, created(cards, body));
        case "GET /api/dashboard" -> reply(ex, 200, array(dashboards));
        case "POST /api/dashboard" -> reply(ex, 200, created(dashboards, body));
        default -> {
          if (method.equals("PUT") && path.startsWith("/api/dashboard/")) {
            dashcardUpdates.add(body);
            reply(ex, 200, body);
          } else {
            reply(ex, 404, JSON.createObjectNode().put("message", "not faked: " + method + " " + path));
          }
        }
      }
    }

    private ObjectNode created(List<ObjectNode> into, JsonNode body) {
      ObjectNode o = ((ObjectNode) body).deepCopy();
      o.put("id", nextId++);
      o.put("archived", false);
      into.add(o);
      return o;
    }

    private static ArrayNode array(List<ObjectNode> items) {
      ArrayNode a = JSON.createArrayNode();
      a.addAll(new ArrayList<>(items));
      return a;
    }

    private static void reply(HttpExchange ex, int status, JsonNode body) throws IOException {
      byte[] out = JSON.writeValueAsBytes(body);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(status, out.length);
      ex.getResponseBody().write(out);
      ex.close();
    }
  }
}
