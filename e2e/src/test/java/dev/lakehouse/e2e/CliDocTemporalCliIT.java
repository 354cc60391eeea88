package dev.lakehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.stack.StackEndpoints;
import dev.lakehouse.stack.TemporalCli;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import dev.lakehouse.worker.LakehouseWorker;
import dev.lakehouse.worker.WorkerConfig;
import dev.lakehouse.worker.WorkerMain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The `temporal workflow` lines of docs/cli.md, read from that file at test time and run with the real `temporal`
 * CLI against the stack's dev server (TEMPORAL_ADDRESS), do what the doc says: pause queues requests,
 * resume runs them, a full-refresh backfill rebuilds the same satellite, the queries answer, the runs that
 * touched the satellite are listed by their search attribute, and the health schedule is described (the other
 * `temporal schedule` lines run in AutomationIT).
 */
@Order(3)
@ExtendWith(LakehouseStackExtension.class)
class CliDocTemporalCliIT {
  private static final Pattern RUNS_COMPLETED = Pattern.compile("\"runsCompleted\"\\s*:\\s*(\\d+)");
  static LakehouseWorker worker;

  @AfterAll
  static void stop() {
    if (worker != null) {
      worker.close();
    }
  }

  @Test
  void docLinesDoWhatTheDocSays(Endpoints e) throws Exception {
    worker = WorkerMain.create(WorkerMain.modules(SeedScenarioIT.testSpec(),
        WorkerConfig.from(SeedScenarioIT.testSpec())));
    worker.start();
    List<String> lines = docLines();
    Path cli = TemporalCli.locateOrBuild(System.out::println);

    String start = line(lines, "--type MaterializerWorkflow");
    run(cli, e, start); // "already started" is fine, as the doc says
    String before;
    try (Connection trino = StackEndpoints.openTrino(e)) {
      before = String.join("\n", Vault.rows(trino, "SELECT * FROM data_vault.s_users ORDER BY h_users_hk, source_lsn")
          .stream().map(Object::toString).toList());
    }

    assertThat(run(cli, e, line(lines, "--name pause")).code()).isZero();
    assertThat(compact(run(cli, e, line(lines, "--type status")).out())).contains("\"paused\":true");
    assertThat(run(cli, e, line(lines, "--name request")).code()).isZero();
    assertThat(compact(run(cli, e, line(lines, "--type queue")).out())).contains("data_vault.s_users");
    long completed = runsCompleted(run(cli, e, line(lines, "--type status")).out());

    assertThat(run(cli, e, line(lines, "--name resume")).code()).isZero();
    await("the queued request runs after resume").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2))
        .until(() -> compact(run(cli, e, line(lines, "--type status")).out()),
            s -> s.contains("\"paused\":false") && runsCompleted(s) > completed
                && (s.contains("\"queue\":null") || s.contains("\"queue\":[]")));

    String fullRefreshes = "SELECT count(*) FROM ops.materializations WHERE asset = 'data_vault.s_users'"
        + " AND full_refresh AND status = 'succeeded'";
    try (Connection trino = StackEndpoints.openTrino(e)) {
      assertThat(Vault.count(trino, fullRefreshes)).isZero();
    }
    assertThat(run(cli, e, line(lines, "--name backfill")).code()).isZero();
    // the durable record of the run (the coordinator's lastRun may already be a later sensor-triggered run)
    await("the full-refresh backfill of data_vault.s_users+ succeeds").atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
        .until(() -> {
          try (Connection trino = StackEndpoints.openTrino(e)) {
            return Vault.count(trino, fullRefreshes);
          }
        }, n -> n > 0);
    // the search attributes find the runs that touched the satellite: the backfill among them
    String backfillRun;
    try (Connection trino = StackEndpoints.openTrino(e)) {
      backfillRun = Vault.rows(trino, "SELECT max(run_id) AS run_id FROM ops.materializations WHERE asset ="
          + " 'data_vault.s_users' AND full_refresh AND status = 'succeeded'").get(0).get("run_id");
    }
    Result list = run(cli, e, line(lines, "workflow list --query"));
    assertThat(list.code()).isZero();
    assertThat(list.out()).contains(backfillRun).contains("MaterializeWorkflow");
    await("no run in flight").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
        .until(() -> compact(run(cli, e, line(lines, "--type status")).out()), s -> s.contains("\"running\":null"));
    try (Connection trino = StackEndpoints.openTrino(e)) {
      String after = String.join("\n", Vault.rows(trino, "SELECT * FROM data_vault.s_users ORDER BY h_users_hk,"
          + " source_lsn").stream().map(Object::toString).toList());
      assertThat(after).isEqualTo(before);
    }

    // the health check is a Temporal Schedule: describe names its workflow type and task queue
    Result describe = run(cli, e, line(lines, "schedule describe --schedule-id ingestion-health"));
    assertThat(describe.code()).isZero();
    assertThat(describe.out()).contains("IngestionHealthWorkflow").contains("lakehouse");
  }

  /** The `temporal ...` commands of docs/cli.md's "The same with the temporal CLI" block, continuations joined. */
  static List<String> docLines() throws Exception {
    Path doc = Path.of("../docs/cli.md");
    String text = Files.readString(doc, StandardCharsets.UTF_8);
    int from = text.indexOf("### The same with the `temporal` CLI");
    assertThat(from).as("docs/cli.md section").isNotNegative();
    int open = text.indexOf("```bash", from);
    String block = text.substring(open + 7, text.indexOf("```", open + 7));
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String l : block.split("\n")) {
      String t = l.strip();
      if (t.startsWith("#") || t.isEmpty()) {
        continue;
      }
      if (t.endsWith("\\")) {
        cur.append(t, 0, t.length() - 1).append(' ');
      } else {
        out.add(cur.append(t).toString());
        cur.setLength(0);
      }
    }
    return out;
  }

  static String line(List<String> lines, String contains) {
    return lines.stream().filter(l -> l.startsWith("temporal ") && l.contains(contains)).findFirst()
        .orElseThrow(() -> new AssertionError("no docs/cli.md line with " + contains));
  }

  record Result(int code, String out) {}

  /** Runs a doc line through bash with the CLI first on PATH and TEMPORAL_ADDRESS set to the stack. */
  static Result run(Path cli, Endpoints e, String line) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", line).redirectErrorStream(true);
    pb.environment().put("PATH", cli.getParent() + ":" + System.getenv("PATH"));
    pb.environment().put("TEMPORAL_ADDRESS", e.temporal().target());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    System.out.println("$ " + line + "\n" + out.strip());
    return new Result(p.exitValue(), out);
  }

  static String compact(String s) {
    return s.replaceAll("\\s+", "");
  }

  static long runsCompleted(String out) {
    Matcher m = RUNS_COMPLETED.matcher(compact(out));
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }
}
