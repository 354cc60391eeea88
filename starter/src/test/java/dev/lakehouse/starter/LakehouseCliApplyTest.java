package dev.lakehouse.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.spec.SpecVersion;
import dev.lakehouse.workflows.apply.ApplyPlan;
import dev.lakehouse.workflows.apply.ObservedState;
import dev.lakehouse.workflows.testing.ObservedStates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lakehouse apply}: the plan, dry runs, convergence and the refusals.
 */
class LakehouseCliApplyTest extends CliTestFixture {
  @Test
  void applyDryRunOnAnUnchangedSpecHasNothingToDoAndChangesNothing() {
    when(apply.observe(any())).thenReturn(ObservedStates.converged(ObservedStates.CURRENT));
    cli("automation", "start"); // its sensors (this server has no Schedules: apply says so on stderr)
    Result r = cli("apply", "--dry-run");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(ApplyPlan.NOTHING_TO_DO + System.lineSeparator());
    assertThat(r.err()).contains("has no Schedules (UNIMPLEMENTED)").hasLineCount(1);
    verify(apply, never()).convergeSource(any());
    verify(apply, never()).convergeIngestJob(any());
  }

  @Test
  void applyAfterUpOnAnUnchangedLakehouseIsOneLine() {
    when(apply.observe(any())).thenReturn(ObservedStates.converged(ObservedStates.CURRENT));
    cli("automation", "start");
    Result r = cli("apply", "--after-up");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("spec " + SpecVersion.of(SpecLoader.load()) + ": everything runs the spec in use"
        + System.lineSeparator());
    verify(apply, never()).convergeConnector(any(), anyList());
  }

  @Test
  void applyDryRunPrintsThePlanGroupedBySystemAndChangesNothing() {
    when(apply.observe(any())).thenReturn(ObservedStates.beforeExample());
    Result r = cli("apply", "--dry-run", "--spec", EXAMPLE);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("source (PostgreSQL):\n  + add to publication transactions\n".replace("\n",
        System.lineSeparator()), "  + redeploy ingest job lakehouse-ingest-bbbbbbbb", "dry run: nothing was changed",
        "temporal (schedules, sensors, worker):", "  + start sensor sensor-raw_data.transactions: every 1s");
    verify(apply).observe(ObservedStates.EXAMPLE);
    verify(apply, never()).convergeSource(any());
    assertThat(running("sensor-raw_data.transactions")).as("a dry run starts no sensor").isFalse();
  }

  @Test
  void applyConvergesAndPrintsWhatItChanged() {
    when(apply.observe(any())).thenReturn(ObservedStates.beforeExample());
    when(apply.convergeSource(any())).thenReturn(List.of("added transactions to publication bank_pub"));
    when(apply.convergeConnector(any(), anyList())).thenReturn(List.of("updated connector"));
    when(apply.convergeIceberg(any(), anyList())).thenReturn(List.of("created raw table raw_data.transactions"));
    when(apply.convergeIngestJob(any())).thenReturn(List.of("redeployed"));
    when(apply.awaitSnapshots(any(), anyList())).thenReturn(List.of("snapshot of transactions read to its end"));
    Result r = cli("apply", "--spec", EXAMPLE);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("applied:", "  added transactions to publication bank_pub", "  redeployed",
        "  snapshot of transactions read to its end",
        "  sensor sensor-raw_data.transactions: started, every 1s", "the worker still runs its previous spec");
    assertThat(running("sensor-raw_data.transactions")).isTrue();
    // the automation's next reconciliation (automation start, a worker's boot) with the old spec stops it again
    Result again = cli("automation", "start");
    assertThat(again.out()).contains("sensor sensor-raw_data.transactions: stopped (its table is not in the spec)");
  }

  @Test
  void applyRefusesATableTheSourceLacksATypeChangeAndARemovalOneLineEachExitCode2(@TempDir Path dir)
      throws IOException {
    ObservedState now = ObservedStates.converged(ObservedStates.CURRENT);
    when(apply.observe(any())).thenReturn(now);
    Result missing = cli("apply", "--spec", EXAMPLE);
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).startsWith("lakehouse: refused (nothing changed): table transactions does not exist in"
        + " the source database").hasLineCount(1);

    Path typed = dir.resolve("typed.conf");
    Files.writeString(typed, "include \"" + Path.of("../lakehouse.conf").toAbsolutePath().normalize() + "\"\n"
        + "lakehouse.tables.users.columns = [{ name = id, type = uuid }, { name = email, type = varchar },"
        + " { name = name, type = varchar }, { name = created_at, type = timestamp }]\n");
    Result type = cli("apply", "--spec", typed.toString());
    assertThat(type.exit()).isEqualTo(2);
    assertThat(type.err()).contains("column users.created_at changes type date -> timestamp", "backfill --full-refresh")
        .hasLineCount(1);

    Path removed = dir.resolve("removed.conf");
    Files.writeString(removed, "include \"" + Path.of("../lakehouse.conf").toAbsolutePath().normalize() + "\"\n"
        + "lakehouse.tables.users.columns = [{ name = id, type = uuid }, { name = email, type = varchar },"
        + " { name = name, type = varchar }]\n"
        + "lakehouse.satellites.s_users.columns = [email, name]\n");
    Result gone = cli("apply", "--spec", removed.toString());
    assertThat(gone.exit()).isEqualTo(2);
    assertThat(gone.err()).contains("column users.created_at is no longer in the spec: pass --allow-removal",
        "satellite s_users drops [created_at]").hasLineCount(2);
    assertThat(gone.err().lines()).allMatch(l -> l.startsWith("lakehouse: refused (nothing changed): "));
    verify(apply, never()).convergeSource(any());
  }

  @Test
  void applyOfAMalformedSpecIsOneLineExitCode2BeforeAnyWorkflow(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("bad.conf");
    Files.writeString(bad, "lakehouse { tables { users { primary-key = [id } } }\n");
    Result r = cli("apply", "--spec", bad.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("lakehouse: invalid pipeline spec (" + bad + "): syntax error").hasLineCount(1);
    Result unknown = cli("apply", "--spec", dir.resolve("nosuch.conf").toString());
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).hasLineCount(1);
    verify(apply, never()).observe(any());
  }
}
