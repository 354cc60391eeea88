package dev.lakehouse.starter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's usage, help, errors and offline commands (models sql, lineage), with the fixture's Temporal and worker.
 */
class LakehouseCliTest extends CliTestFixture {
  @Test
  void helpListsEveryCommandAndEveryCommandHasHelp() {
    Result help = raw("--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("assets", "lineage", "run", "backfill", "pause", "resume", "status",
        "checks", "automation", "--temporal", "--namespace");
    for (String[] command : List.of(new String[] {"assets"}, new String[] {"lineage"}, new String[] {"run"},
        new String[] {"backfill"}, new String[] {"pause"}, new String[] {"resume"}, new String[] {"status"},
        new String[] {"checks"}, new String[] {"automation"}, new String[] {"automation", "start"}, new String[] {"models", "sql"})) {
      List<String> args = new ArrayList<>(List.of(command));
      args.add("--help");
      Result r = raw(args.toArray(String[]::new));
      assertThat(r.exit()).as(String.join(" ", command)).isZero();
      assertThat(r.out()).as(String.join(" ", command)).contains("Usage: lakehouse " + String.join(" ", command));
    }
  }

  @Test
  void anUnknownCommandIsBadUsageEvenWithHelp() {
    for (String[] args : List.of(new String[] {"nosuch", "--help"}, new String[] {"nosuch"},
        new String[] {"automation", "nosuch", "--help"})) {
      Result r = raw(args);
      assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err()).as(String.join(" ", args)).contains("'nosuch'");
      assertThat(r.out()).as(String.join(" ", args)).doesNotContain("Usage:");
    }
  }

  @Test
  void modelsSqlPrintsTheSatelliteLoadOfflineAndNamesTheModelsForAnUnknownOne() {
    Result sql = raw("models", "sql", "data_vault.s_users");
    assertThat(sql.exit()).as(sql.err()).isZero();
    assertThat(sql.out()).contains("data_vault.s_users", "MERGE", "parsed_data.parsed_users");
    Result unknown = raw("models", "sql", "data_vault.s_nope");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("data_vault.s_nope", "data_vault.s_users");
  }

  @Test
  void modelsSqlLiveWithoutTrinoSaysHowToPrintOffline() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    String trino = "lakehouse.endpoints.trino.port=" + closed;
    Result live = raw("models", "sql", "data_vault.s_users", "--live", "--set", trino);
    assertThat(live.exit()).isEqualTo(1);
    assertThat(live.err()).startsWith("lakehouse: could not read the watermark from Trino at jdbc:trino://")
        .contains(":" + closed + "/iceberg").contains("drop --live to print offline");
    // a full refresh reads every row whatever the watermark: printed without Trino
    Result full = raw("models", "sql", "data_vault.s_users", "--live", "--full-refresh", "--set", trino);
    assertThat(full.exit()).as(full.err()).isZero();
    assertThat(full.out()).contains("(full refresh)", "every row");
  }

  @Test
  void unreachableTemporalIsOnePlainLineAndExitCode3() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    for (String command : List.of("status", "run", "assets", "pause")) {
      long t0 = System.nanoTime();
      Result r = raw(command, "--temporal", "127.0.0.1:" + port);
      System.out.printf("%s against a closed port answered in %d ms%n", command,
          (System.nanoTime() - t0) / 1_000_000);
      assertThat(r.exit()).as(command).isEqualTo(3);
      assertThat(r.err().strip()).as(command)
          .startsWith("lakehouse: cannot reach Temporal at 127.0.0.1:" + port)
          .contains("./lakehouse up")
          .doesNotContain("\n")
          .doesNotContain("Exception");
      assertThat(r.out()).isEmpty();
    }
  }

  @Test
  void lineageInBothFormatsNeedsNoTemporal() {
    Result mermaid = raw("lineage", "--temporal", "127.0.0.1:1");
    assertThat(mermaid.exit()).isZero();
    assertThat(mermaid.out()).startsWith("flowchart LR").contains("\"data_vault.s_users\"");
    Result dot = raw("lineage", "--format", "dot");
    assertThat(dot.out()).startsWith("digraph lakehouse")
        .contains("\"parsed_data.parsed_users\" -> \"data_vault.s_users\";");
    assertThat(raw("lineage", "--format", "svg").exit()).isEqualTo(2);
  }

  @Test
  void aSpecWithASyntaxErrorIsOneLineNamingFileAndLineAndExitCode2(@TempDir Path dir) throws IOException {
    Path spec = dir.resolve("lakehouse.conf");
    Files.writeString(spec, "lakehouse {\n  tables {\n    users { primary-key = [id }\n  }\n}\n");
    for (String command : List.of("lineage", "status")) {
      Result r = raw(Map.of("LAKEHOUSE_SPEC", spec.toString()), command, "--temporal", server.target());
      assertThat(r.exit()).as(command).isEqualTo(2);
      assertThat(r.err()).as(command).startsWith("lakehouse: invalid pipeline spec (" + spec + "): syntax error at line 3: ")
          .hasLineCount(1).doesNotContain("\tat ");
    }
  }

  @Test
  void aSpecValueTheEnvironmentBreaksIsOneLineAndExitCode2() {
    Result r = raw(Map.of("LAKEHOUSE_SENSOR_INTERVAL", "soon"), "assets", "--temporal", server.target());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("lakehouse.schedules.sensor-interval").hasLineCount(1);
  }
}
