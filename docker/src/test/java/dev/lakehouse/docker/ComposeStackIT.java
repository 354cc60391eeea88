package dev.lakehouse.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The whole Docker stack, end to end: {@code docker compose up} on the repository's
 * docker-compose.yml (images built, worker included), the seed scenario run against PostgreSQL once
 * the Debezium connector streams, then the Data Vault row counts read through Trino.
 *
 * <p>Needs a Docker engine with the compose plugin, the host ports of lakehouse.conf free and the
 * worker jar built ({@code ./mvnw -B -DskipTests package} first). Without a Docker engine it is
 * reported as skipped, never as passed.
 */
class ComposeStackIT {

  static final String NO_DOCKER = "no Docker engine on this machine: the compose stack test needs one "
      + "(docker-compose.yml is checked structurally by ComposeFileTest; see docs/docker.md)";

  static final Map<String, Long> EXPECTED_VAULT_ROWS = expectedVaultRows();

  private static Map<String, Long> expectedVaultRows() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("h_users", 3L);
    m.put("h_accounts", 2L);
    m.put("l_users_accounts", 2L);
    m.put("s_users", 5L);
    m.put("s_accounts", 3L);
    return m;
  }

  @Test
  void seedScenarioReachesTheDataVault() throws Exception {
    boolean docker = DockerClientFactory.instance().isDockerAvailable();
    if (!docker) {
      System.err.println("ComposeStackIT SKIPPED: " + NO_DOCKER);
    }
    assumeTrue(docker, NO_DOCKER);

    Path root = ComposeFile.repositoryRoot();
    for (String jar : ComposeFileTest.BUILD_OUTPUTS) {
      assertThat(root.resolve(jar)).as("an image copies the reactor's %s: run ./mvnw -B -DskipTests package first",
          jar).isRegularFile();
    }
    Config endpoints = ComposeFile.spec(root).getConfig("lakehouse.endpoints");
    Config source = ComposeFile.spec(root).getConfig("lakehouse.source");

    try (ComposeContainer stack = new ComposeContainer(root.resolve("docker-compose.yml").toFile())
        .withBuild(true)
        .withStartupTimeout(Duration.ofMinutes(15))
        .waitingFor("worker", Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(15)))
        .waitingFor("trino", Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(15)))
        .waitingFor("console", Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(5)))) {
      stack.start();

      String host = endpoints.getString("host");
      String pgUrl = "jdbc:postgresql://" + host + ":" + endpoints.getInt("postgres.port") + "/"
          + endpoints.getString("postgres.database");
      String pgUser = endpoints.getString("postgres.user");
      String pgPassword = endpoints.getString("postgres.password");

      // The worker creates the connector on boot. Seed only once it streams: rows written before
      // the replication slot exists would reach Kafka as one snapshot row each, not as history.
      String connectUrl = "http://" + host + ":" + endpoints.getInt("connect.port");
      String connector = source.getString("connector");
      String slot = source.getString("slot");
      await("connector " + connector + " RUNNING and slot " + slot + " active")
          .atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(5)).ignoreExceptions()
          .until(() -> connectorRunning(connectUrl, connector) && slotActive(pgUrl, pgUser, pgPassword, slot));

      String seed = Files.readString(Path.of("../stack/src/main/resources/sql/seed-scenario.sql"),
          StandardCharsets.UTF_8);
      try (Connection c = DriverManager.getConnection(pgUrl, pgUser, pgPassword);
           Statement s = c.createStatement()) {
        s.execute(seed);
      }

      String trinoUrl = "jdbc:trino://" + host + ":" + endpoints.getInt("trino.port") + "/iceberg";
      Properties trinoProps = new Properties();
      trinoProps.setProperty("user", endpoints.getString("trino.user"));
      await("Data Vault row counts " + EXPECTED_VAULT_ROWS)
          .atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(10)).ignoreExceptions()
          .untilAsserted(() -> assertThat(vaultRows(trinoUrl, trinoProps)).isEqualTo(EXPECTED_VAULT_ROWS));

      // the console container reads that Trino: every asset, the user marts included, with no problem line
      String consoleUrl = "http://" + host + ":" + endpoints.getInt("console.port") + "/api/assets";
      await("the console lists the assets").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(5))
          .ignoreExceptions().untilAsserted(() -> {
            JsonNode assets = new ObjectMapper().readTree(HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(consoleUrl)).GET().build(), HttpResponse.BodyHandlers.ofString())
                .body());
            assertThat(assets.path("assets").findValuesAsText("key")).contains("data_vault.s_users",
                "marts.user_balances");
            assertThat(assets.path("problems").toString()).doesNotContain("Trino");
          });
    }
  }

  private static boolean connectorRunning(String connectUrl, String connector) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(connectUrl + "/connectors/" + connector + "/status")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      return false;
    }
    JsonNode status = new ObjectMapper().readTree(r.body());
    boolean tasksRunning = status.path("tasks").size() > 0;
    for (JsonNode t : status.path("tasks")) {
      tasksRunning &= "RUNNING".equals(t.path("state").asText());
    }
    return "RUNNING".equals(status.path("connector").path("state").asText()) && tasksRunning;
  }

  private static boolean slotActive(String url, String user, String password, String slot) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, password);
         var ps = c.prepareStatement("SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
      ps.setString(1, slot);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  private static Map<String, Long> vaultRows(String url, Properties props) throws SQLException {
    Map<String, Long> counts = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection(url, props); Statement s = c.createStatement()) {
      for (String table : EXPECTED_VAULT_ROWS.keySet()) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM iceberg.data_vault." + table)) {
          rs.next();
          counts.put(table, rs.getLong(1));
        }
      }
    }
    return counts;
  }
}
