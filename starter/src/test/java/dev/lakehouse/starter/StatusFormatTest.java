package dev.lakehouse.starter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.starter.AssetStatus.State;
import dev.lakehouse.starter.ServiceProbe.Service;
import dev.lakehouse.workflows.AssetFailure;
import dev.lakehouse.workflows.MaterializerRetry;
import dev.lakehouse.workflows.MaterializerStatus;
import dev.lakehouse.workflows.PendingRun;
import dev.lakehouse.workflows.RunSummary;
import dev.lakehouse.workflows.assets.AssetGraph;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class StatusFormatTest {
  static final Instant NOW = Instant.parse("2026-11-26T02:00:00Z");
  static final PipelineSpec SPEC = SpecLoader.load();

  static String print(Consumer<PrintWriter> body) {
    StringWriter w = new StringWriter();
    try (PrintWriter out = new PrintWriter(w)) {
      body.accept(out);
    }
    return w.toString();
  }

  static State fresh(String asset, long rejected) {
    return new State(asset, Instant.parse("2026-11-26T01:59:41.123Z"), "materializer-run-7-0a1b2c3d", 5L, 4L,
        rejected, 0L, 0, null, null);
  }

  @Test
  void everyModelFreshGivesOneLineEachAndASummary() {
    List<State> states = List.of(fresh("parsed_data.parsed_users", 0), fresh("data_vault.s_users", 0));
    String out = print(o -> StatusFormat.assets(o, "jdbc:trino://127.0.0.1:8080/iceberg", states, NOW));
    assertThat(out).isEqualTo("""
        assets (models, from jdbc:trino://127.0.0.1:8080/iceberg):
          ASSET                     LAST MATERIALIZATION  ROWS IN/OUT  REJECTED  FRESHNESS                 RUN
          parsed_data.parsed_users  2026-11-26T01:59:41Z  5/4                 0  fresh                     materializer-run-7-0a1b2c3d
          data_vault.s_users        2026-11-26T01:59:41Z  5/4                 0  fresh                     materializer-run-7-0a1b2c3d
          all 2 models fresh, 0 rows rejected
        """);
  }

  @Test
  void staleNeverRunAndUnreadableModelsSayWhy() {
    List<State> states = List.of(
        new State("parsed_data.parsed_users", null, null, null, null, 0, null, 3, Instant.parse("2026-11-26T01:59:48Z"),
            null),
        fresh("parsed_data.parsed_accounts", 2),
        new State("data_vault.s_users", null, null, null, null, 0, null, 0, null,
            "cannot read its input: Table 'iceberg.parsed_data.parsed_users' does not exist"));
    String out = print(o -> StatusFormat.assets(o, "jdbc:trino://h:1/iceberg", states, NOW));
    assertThat(out.lines().toList()).containsExactly(
        "assets (models, from jdbc:trino://h:1/iceberg):",
        "  ASSET                        LAST MATERIALIZATION  ROWS IN/OUT  REJECTED  FRESHNESS                 RUN",
        "  parsed_data.parsed_users     never                 -                   0  stale 12 s (3 raw rows)   -",
        "  parsed_data.parsed_accounts  2026-11-26T01:59:41Z  5/4                 2  fresh                     "
            + "materializer-run-7-0a1b2c3d",
        "  data_vault.s_users           never                 -                   0  unknown                   -",
        "  data_vault.s_users: cannot read its input: Table 'iceberg.parsed_data.parsed_users' does not exist",
        "  2 of 3 models not fresh (oldest unmaterialized raw snapshot 12 s old), 2 rows rejected");
  }

  @Test
  void coordinatorShowsPendingRetriesAndModelsFailedAfterTheirLastRetry() {
    long failedAt = Instant.parse("2026-11-26T01:58:30Z").toEpochMilli();
    String error = "asset data_vault.s_users failed: line 1:8: Column 'emial' cannot be resolved (LakehouseSqlError)";
    MaterializerStatus s = new MaterializerStatus(false,
        new PendingRun(List.of("raw_data.accounts+"), false, 1, 1, 0),
        List.of(new PendingRun(List.of("data_vault.h_users", "raw_data.users+"), false, 3, 2,
                Instant.parse("2026-11-26T02:00:45Z").toEpochMilli()),
            new PendingRun(List.of("data_vault.s_accounts+"), true, 1, 1, failedAt),
            new PendingRun(List.of("kind:model"), true, 1, 0, 0)),
        5, 7, new RunSummary("materializer-run-12-0a1b2c3d", "data_vault.s_users", false, RunSummary.Status.FAILED,
            List.of(), error),
        List.of(), List.of(new AssetFailure("data_vault.s_users", failedAt, "materializer-run-12-0a1b2c3d", error, 4)),
        new MaterializerRetry(3, 30_000, 300_000));

    String out = print(o -> StatusFormat.coordinator(o, s, NOW));

    assertThat(out.lines().toList()).containsExactly(
        "materializer:",
        "  active, runs completed 5, failed 7",
        "  running: 'raw_data.accounts+' incremental (1 request), retry 1 of 3",
        "  queue:",
        "    'data_vault.h_users,raw_data.users+' incremental (3 requests), retry 2 of 3 at 2026-11-26T02:00:45Z"
            + " (in 45 s)",
        "    'data_vault.s_accounts+' full refresh (1 request), retry 1 of 3, due now",
        "    'kind:model' full refresh (1 request)",
        "  FAILED models (retries used up; until they next succeed):",
        "    data_vault.s_users  at 2026-11-26T01:58:30Z, 4 attempts, run materializer-run-12-0a1b2c3d: " + error,
        "  last run: FAILED 'data_vault.s_users' (materializer-run-12-0a1b2c3d), 0 model(s): " + error);
  }

  @Test
  void coordinatorListsEveryRunInFlight() {
    PendingRun first = new PendingRun(List.of("raw_data.users+"), false, 1, 0, 0);
    PendingRun second = new PendingRun(List.of("raw_data.users+", "raw_data.accounts+"), false, 2, 0, 0);
    MaterializerStatus s = new MaterializerStatus(false, first, List.of(), 3, 0, null, List.of(), List.of(), null,
        List.of(first, second));
    assertThat(print(o -> StatusFormat.coordinator(o, s, NOW)).lines().toList()).containsExactly(
        "materializer:",
        "  active, runs completed 3, failed 0",
        "  running (2 in flight, oldest first):",
        "    'raw_data.users+' incremental (1 request)",
        "    'raw_data.users+,raw_data.accounts+' incremental (2 requests)",
        "  queue: empty");
  }

  @Test
  void coordinatorWithoutRetriesOrFailuresLooksAsBefore() {
    MaterializerStatus s = new MaterializerStatus(true, null, List.of(), 2, 0, null, List.of(), List.of(), null);
    assertThat(print(o -> StatusFormat.coordinator(o, s, NOW)).lines().toList()).containsExactly(
        "materializer:",
        "  PAUSED (lakehouse resume), runs completed 2, failed 0",
        "  running: nothing",
        "  queue: empty");
  }

  @Test
  void servicesShowAddressAndWhetherTheyAnswer() {
    String out = print(o -> StatusFormat.services(o, List.of(new Service("postgres", "127.0.0.1", 5432, true),
        new Service("temporal-ui", "127.0.0.1", 8233, false))));
    assertThat(out.lines().toList()).containsExactly(
        "services:",
        "  postgres     127.0.0.1:5432        up",
        "  temporal-ui  127.0.0.1:8233        DOWN (not answering)");
  }

  @Test
  void trinoDownIsOneLineThatSaysWhatToDo() {
    String line = StatusFormat.trinoDown("jdbc:trino://127.0.0.1:8080/iceberg", "Connection refused");
    assertThat(line).doesNotContain("\n").startsWith("assets: Trino at jdbc:trino://127.0.0.1:8080/iceberg does not"
        + " answer (Connection refused)").contains("./lakehouse up").contains("--set lakehouse.endpoints.trino.port=");
  }

  @Test
  void jsonCarriesTheSameFields() throws Exception {
    State stale = new State("data_vault.s_users", Instant.parse("2026-11-26T01:59:00Z"), "run-1", 2L, 2L, 1, 1L, 4,
        Instant.parse("2026-11-26T01:59:30Z"), null);
    JsonNode n = new ObjectMapper().valueToTree(Map.of("assets", StatusFormat.assetsJson(List.of(stale), NOW)));
    JsonNode a = n.get("assets").get(0);
    assertThat(a.get("asset").asText()).isEqualTo("data_vault.s_users");
    assertThat(a.get("fresh").asBoolean()).isFalse();
    assertThat(a.get("freshnessSeconds").asLong()).isEqualTo(30);
    assertThat(a.get("pendingRawRows").asLong()).isEqualTo(4);
    assertThat(a.get("rejected").asLong()).isEqualTo(1);
    assertThat(a.get("lastMaterializedAt").asText()).isEqualTo("2026-11-26T01:59:00Z");
    assertThat(a.get("problem").isNull()).isTrue();
  }

  @Test
  void probeTellsAListeningPortFromAClosedOne() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    try (ServerSocket open = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<Service> probed = ServiceProbe.probe(List.of(new Service("a", "127.0.0.1", open.getLocalPort(), false),
          new Service("b", "127.0.0.1", closed, true)), 1000);
      assertThat(probed).extracting(Service::up).containsExactly(true, false);
    }
  }

  @Test
  void freshnessFollowsTheGraphFromEachModelToItsRawTable() {
    AssetGraph graph = AssetGraph.fromSpec(SPEC);
    assertThat(AssetStatus.rawTableOf(graph, "data_vault.l_users_accounts")).isEqualTo("raw_data.accounts");
    assertThat(AssetStatus.rawTableOf(graph, "parsed_data.parsed_users")).isEqualTo("raw_data.users");
  }
}
