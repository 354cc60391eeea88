package dev.lakehouse.reliability;

import static dev.lakehouse.reliability.FaultsIT.assertExact;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.reliability.oracle.Comparison;
import dev.lakehouse.reliability.workload.BankWorkload;
import dev.lakehouse.reliability.workload.Change;
import dev.lakehouse.reliability.workload.RecordedScript;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.spec.SpecSource;
import dev.lakehouse.stack.Demo;
import dev.lakehouse.stack.StackEndpoints;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code lakehouse apply} of the transactions example (a table {@code transactions} with its hub, link and
 * satellite, and a column {@code phone} on {@code users} and {@code s_users}) while a workload writes to
 * {@code users} and {@code accounts}, then writes to all three tables: every parsed and vault table of the three
 * equals the oracle, nothing lost, duplicated or extra across the switch, nothing rejected, and the schema change
 * alone writes no satellite row.
 *
 * <p>The apply is driven as a user drives it: the checkout's {@code ./lakehouse apply --spec
 * examples/transactions/transactions.conf} script ({@link LakehouseScript}) against the suite's stack, which runs the
 * CLI's {@code apply} (the {@code spec-apply} workflow on the running worker, then the sensors' and schedules'
 * reconciliation) and then the stack jar's {@code reload-worker} (the worker drained and started on the applied spec).
 * The source side comes first, as docs/apply.md says: {@code examples/transactions/transactions.sql} (the table, and
 * {@code phone} on {@code users}), after the seed scenario of {@code ./lakehouse demo}, recorded for the oracle.
 *
 * <p>Printed for docs/benchmarks.md: the apply's duration (the CLI's part and the worker's restart), and the largest
 * commit → {@code data_vault.s_users} delay of the {@code users} changes committed while the apply ran (a row's
 * {@code effective_from}, its source commit, to {@code $file_modified_time}, when the run wrote its data file).
 * Long (a worker restart and the first runs of four new models): run by {@code ./lakehouse reliability}, not by the
 * default build.
 */
@Order(8)
@ExtendWith({LakehouseStackExtension.class, PipelineExtension.class})
class ApplyUnderLoadIT {
  /** The seed scenario's and the post-apply script's commit sequences: above the workload's and the shapes'. */
  private static final long SEED_SEQ = 200_000_000L;
  private static final long TOUCH_SEQ = 300_000_000L;
  private static final Path EXAMPLE = LakehouseScript.checkout().resolve("examples/transactions");

  @Test
  void theTransactionsExampleIsAppliedUnderLoadAndEveryTableEqualsTheOracle(Pipeline p) throws Exception {
    long rejectedBefore = p.rejected();
    var pg = p.endpoints.postgres();
    BankWorkload.Jdbc jdbc = new BankWorkload.Jdbc(pg.jdbcUrl(), pg.user(), pg.password());
    int seed = new RecordedScript(jdbc, p.workload.log(), SEED_SEQ).run(Demo.seedSql());
    try (Connection c = StackEndpoints.openPostgres(p.endpoints); Statement s = c.createStatement()) {
      s.execute(Files.readString(EXAMPLE.resolve("transactions.sql"))); // the source first: apply never creates it
    }
    // everything so far landed, so a satellite row count taken now is the schema change's baseline
    assertExact(p.awaitOracle(Duration.ofMinutes(Pipeline.SOAK ? 15 : 6)));
    Map<String, Long> satelliteBefore = satelliteRowsPerUser(p);
    int changesBefore = p.workload.log().size();
    PipelineSpec example = SpecLoader.load(SpecSource.file(EXAMPLE.resolve("transactions.conf")), Map.of(),
        new HashMap<>(StackEndpoints.configOverrides(p.endpoints)));

    LakehouseScript.Result[] apply = new LakehouseScript.Result[1];
    long[] switchMillis = new long[2];
    Comparison c = p.scenario("apply", "lakehouse apply of examples/transactions (a table, users.phone) under load",
        Pipeline.segment().withTransactions(1_000_000), s -> {
          p.awaitTransactions(s, 10);
          long at = System.nanoTime();
          switchMillis[0] = System.currentTimeMillis();
          apply[0] = LakehouseScript.run(p, "apply", "--spec", EXAMPLE.resolve("transactions.conf").toString());
          switchMillis[1] = System.currentTimeMillis();
          assertThat(apply[0].code()).as(apply[0].out()).isZero();
          p.applied(example);
          // then all three tables: transactions, phone on some users changes, and a no-op update of the seed's users
          // (keys the workload never writes): a change of nothing the satellite had, phone NULL, adds no row
          p.workload.writeTransactions();
          p.workload.sometimesFillUsersColumn("phone");
          new RecordedScript(jdbc, p.workload.log(), TOUCH_SEQ).run("UPDATE users SET name = name WHERE email IN"
              + " ('bruce@wayne.com', 'clark@kent.com');\n");
          long applied = p.workload.log().transactions();
          while (p.workload.log().transactions() < applied + Pipeline.segment().transactions()) {
            Thread.sleep(100);
          }
          p.workload.stop();
          return new Pipeline.Injected(at, 0, String.format("apply %.1f s (CLI %.1f s, worker restart %.1f s)",
              apply[0].seconds(), cliSeconds(apply[0]), apply[0].seconds() - cliSeconds(apply[0])));
        });
    System.out.println("apply output:\n" + apply[0].out());
    assertExact(c);
    assertThat(p.rejected()).as("rejected rows (only the bad input's, if it ran)").isEqualTo(rejectedBefore);
    assertThat(apply[0].out()).contains("+ create raw table raw_data.transactions",
        "+ add column data_vault.s_users: phone", "+ redeploy ingest job", "worker: restarted with spec");

    List<Change> after = p.workload.log().changes().subList(changesBefore, p.workload.log().size());
    assertThat(after).as("writes to all three tables after the apply")
        .extracting(Change::table).contains("users", "accounts", "transactions");
    assertThat(after).as("some users changes set phone").anyMatch(ch -> ch.image().get("phone") != null);
    // the schema change alone wrote no satellite row: users unchanged since the baseline, and the seed's two users
    // whose only change was an update of nothing (phone NULL), have exactly the rows they had
    Set<String> changed = after.stream().filter(ch -> ch.table().equals("users") && ch.commitSeq() < TOUCH_SEQ)
        .map(Change::id).collect(Collectors.toSet());
    Map<String, Long> satelliteAfter = satelliteRowsPerUser(p);
    Map<String, Long> kept = new HashMap<>(satelliteBefore);
    kept.keySet().removeAll(changed);
    assertThat(kept).as("users whose only change is the new column").hasSizeGreaterThan(2);
    kept.forEach((id, n) -> assertThat(satelliteAfter.get(id)).as("s_users rows of %s", id).isEqualTo(n));

    double cli = cliSeconds(apply[0]);
    List<List<String>> delay;
    try {
      delay = p.lakehouse.query("SELECT CAST(count(*) AS varchar), CAST(max(to_unixtime("
        + "\"$file_modified_time\") - to_unixtime(effective_from)) AS varchar) FROM iceberg.data_vault.s_users"
        + " WHERE effective_from BETWEEN from_unixtime(" + switchMillis[0] / 1000.0 + ") AND from_unixtime("
        + switchMillis[1] / 1000.0 + ")");
    } catch (java.sql.SQLException e) {
      delay = List.of(List.of("?", "not measured (" + e.getMessage() + ")"));
    }
    String maxDelay = delay.get(0).get(1);
    try {
      maxDelay = String.format("%.1f s", Double.parseDouble(maxDelay));
    } catch (NumberFormatException | NullPointerException notANumber) {
      // not measured: the note as it is
    }
    System.out.printf("==== bench: apply of examples/transactions under load: %.1f s (CLI apply %.1f s, then"
        + " reload-worker %.1f s); %s s_users rows of users changes committed during it, max commit -> s_users"
        + " delay %s; seed scenario %d changes; %d changes since the baseline (during the apply and after it)%n",
        apply[0].seconds(), cli, apply[0].seconds() - cli, delay.get(0).get(0), maxDelay, seed, after.size());
  }

  /**
   * The CLI's part of the script: until the script's line after it (the CLI prints its plan and what it applied
   * once the workflow and the reconciliation are done; reload-worker follows).
   */
  private static double cliSeconds(LakehouseScript.Result r) {
    double reload = r.at("the spec in use is now");
    return reload < 0 ? r.seconds() : reload;
  }

  /** Rows of {@code data_vault.s_users} per user id. */
  private static Map<String, Long> satelliteRowsPerUser(Pipeline p) throws Exception {
    Map<String, Long> out = new HashMap<>();
    for (List<String> r : p.lakehouse.query("SELECT h.id, count(*) FROM iceberg.data_vault.s_users s JOIN"
        + " iceberg.data_vault.h_users h ON h.h_users_hk = s.h_users_hk GROUP BY h.id")) {
      out.put(r.get(0), Long.parseLong(r.get(1)));
    }
    return out;
  }
}
