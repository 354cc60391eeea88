package dev.lakehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.bench.Report.Load;
import dev.lakehouse.bench.Stats.Summary;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.stack.StackFiles;
import dev.lakehouse.workflows.assets.AssetGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleFixtureTest {
  private static final Pattern RANGE = Pattern.compile("sequence\\((\\d+), (\\d+)\\)");

  @Test
  void theGeneratedModelsBringTheCheckoutsGraphToFiftyAssetsWithItsOwnMarts(@TempDir Path dir) throws Exception {
    Path checkout = StackFiles.reactorRoot(Paths.get("").toAbsolutePath());
    int base = AssetGraph.fromSpec(SpecLoader.load(Map.of())).keys().size();
    int extra = ConsoleFixture.extraModels(base, ConsolePageLoad.ASSETS);
    List<String> generated = ConsoleFixture.writeModels(dir, checkout.resolve("transform"), extra);

    PipelineSpec spec = SpecLoader.load(Map.of("LAKEHOUSE_USER_MODELS_PATH", dir.toString()));
    List<String> keys = AssetGraph.fromSpec(spec).keys();
    assertThat(keys).hasSize(Math.max(base, ConsolePageLoad.ASSETS))
        .contains("marts.user_balances", "marts.account_balance_changes")
        .containsAll(generated);
    assertThat(AssetGraph.fromSpec(spec).asset(generated.get(0)).orElseThrow().upstream())
        .containsExactly("data_vault.s_users");

    // written again: the directory is emptied first, so no model of an earlier run is left behind
    ConsoleFixture.writeModels(dir, checkout.resolve("transform"), 1);
    try (var files = Files.list(dir.resolve(ConsoleFixture.SCHEMA))) {
      assertThat(files.toList()).hasSize(1);
    }
  }

  @Test
  void noModelsAreGeneratedWhenTheGraphIsBigEnough() {
    assertThat(ConsoleFixture.extraModels(60, 50)).isZero();
    assertThat(ConsoleFixture.extraModels(16, 50)).isEqualTo(34);
  }

  @Test
  void theHistoryInsertsCoverEveryRowOnceInTheGivenNumberOfCommits() {
    List<String> inserts = ConsoleFixture.historyInserts(10_000, 20, 43);
    assertThat(inserts).hasSize(20);
    List<long[]> ranges = new ArrayList<>();
    for (String insert : inserts) {
      assertThat(insert).startsWith("INSERT INTO iceberg.ops.materializations")
          .contains("WHERE g % 43 = m.idx").contains("run_id = '" + ConsoleFixture.INITIAL_RUN + "'");
      Matcher m = RANGE.matcher(insert);
      assertThat(m.find()).isTrue();
      ranges.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
    }
    long next = 0;
    for (long[] r : ranges) {
      assertThat(r[0]).isEqualTo(next);
      next = r[1] + 1;
    }
    assertThat(next).isEqualTo(10_000);
    assertThat(ConsoleFixture.historyInserts(7, 3, 2)).hasSize(3);
    assertThatThrownBy(() -> ConsoleFixture.historyInserts(10, 0, 2)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyModelWithoutARunGetsAnInitialRow() {
    String sql = ConsoleFixture.initialRuns(List.of("marts.user_balances", "bench_console.m_01"));
    assertThat(sql).startsWith("INSERT INTO iceberg.ops.materializations")
        .contains("(VALUES 'marts.user_balances', 'bench_console.m_01') u(asset)")
        .contains("'" + ConsoleFixture.INITIAL_RUN + "', 'succeeded', false, '{}'")
        .endsWith("WHERE u.asset NOT IN (SELECT asset FROM iceberg.ops.materializations WHERE run_id = '"
            + ConsoleFixture.INITIAL_RUN + "')");
    assertThatThrownBy(() -> ConsoleFixture.initialRuns(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aJsonAnswerIsLateWhenItSaysTrinoDidNotAnswerInTime() throws Exception {
    ObjectMapper json = new ObjectMapper();
    assertThat(ConsolePageLoad.late(json.readTree("{\"assets\": [], \"problems\": [\"Trino did not answer within"
        + " the page's 700 ms\"]}"))).isTrue();
    assertThat(ConsolePageLoad.late(json.readTree("{\"assets\": [], \"problems\": [], \"notes\": [\"Trino is still"
        + " reading: showing its read of 12:00:01 UTC (3 s ago)\"]}"))).isTrue();
    assertThat(ConsolePageLoad.late(json.readTree("{\"assets\": [], \"problems\": [\"'materializer' did not answer"
        + " query status: is the worker running?\"]}"))).isFalse();
    assertThat(ConsolePageLoad.late(json.readTree("{\"assets\": [], \"problems\": []}"))).isFalse();
  }

  @Test
  void theSummaryHasARowPerPageAndTheTrinoRead() {
    Summary fast = new Summary(200, 80, 150, 400);
    Summary slow = new Summary(200, 320, 700, 720);
    ConsolePageLoad.Result c = new ConsolePageLoad.Result(51, 43, 10_043, 120, fast, slow,
        new Summary(40, 250, 600, 900), 12, 150, 3, new Load(5, 5, 5));
    Report r = new Report("2026-12-06T10:00:00Z", true, 300, Machine.current(), null, null, null, null, null, null,
        List.of(), c);
    String md = ResultsWriter.markdown(r);
    assertThat(md).contains("console `/assets` page load (51 assets, 10,043 materializations), n=200 | p50 80 ms /"
        + " p95 150 ms / max 400 ms | p95 ≤ 300 ms | met |");
    assertThat(md).contains("console `/api/assets` (51 assets, 10,043 materializations), n=200; answers showing a"
        + " late Trino read: 3 | p50 320 ms / p95 700 ms / max 720 ms | p95 ≤ 300 ms | **missed** |");
    assertThat(md).contains("the Trino read behind both, alone, n=40 (12.0 queries, 150 ms Trino CPU each) | p50 250 ms");
    assertThat(ResultsWriter.headline(r)).containsEntry("console_assets_page_p95_ms", 150.0)
        .containsEntry("console_api_assets_p95_ms", 700.0);
  }
}
