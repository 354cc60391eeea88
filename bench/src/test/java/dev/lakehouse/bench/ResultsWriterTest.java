package dev.lakehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.bench.Report.FreshnessPhase;
import dev.lakehouse.bench.Report.IncrementalPoint;
import dev.lakehouse.bench.Report.Load;
import dev.lakehouse.bench.Report.Sample;
import dev.lakehouse.bench.Report.ThroughputStep;
import dev.lakehouse.bench.Stats.Summary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsWriterTest {
  static final Load LOAD = new Load(3.5, 2.0, 1.0);

  static Report report() {
    FreshnessPhase fresh = new FreshnessPhase("defaults", "10s", "5s", new Summary(3, 20, 30, 31),
        List.of(new Sample(0, 8, 20), new Sample(1, 9, 30), new Sample(2, Double.NaN, 31)),
        Map.of("parsed_data.parsed_users", new ModelRuns.Runs(4, 6.5, 9.0, 120)), LOAD);
    FreshnessPhase seed = new FreshnessPhase("seed settings", "60s", "30s", new Summary(2, 50, 90, 90),
        List.of(new Sample(0, 40, 50), new Sample(5, 55, Double.POSITIVE_INFINITY)), Map.of(), LOAD);
    Report.Throughput tp = new Report.Throughput(980, 60, List.of(
        new ThroughputStep(1000, 980, 58_800, 60, new Summary(60, 25, 40, 45), List.of(), true, Map.of(),
            new Backlog(0, 56, 60_000, 59_000), new Backlog(65_000, 56, 60_000, 60_000), 15.4, LOAD),
        new ThroughputStep(5000, 3100, 186_000, 60, new Summary(60, 70, Double.POSITIVE_INFINITY,
            Double.POSITIVE_INFINITY), List.of(), false, Map.of(), new Backlog(0, 56, 300_000, 20_000),
            new Backlog(65_000, 56, 300_000, 43_000), 353.8, LOAD)));
    Report.Incremental inc = new Report.Incremental(1000, List.of(
        new IncrementalPoint(10_000, 1, 18, 9.0, 2.0, 1.5, 40, Map.of("parsed_data.parsed_users", 3000L), LOAD, 1.5, 0.4),
        new IncrementalPoint(1_000_000, 11, 81, 9.9, 2.4, 1.6, 40, Map.of("parsed_data.parsed_users", 3300L), LOAD, 1.6, 0.5)),
        IncrementalScaling.ratio(List.of(
            new IncrementalPoint(1_000_000, 11, 81, 9.9, 2.4, 1.6, 40, Map.of(), LOAD, 0, 0),
            new IncrementalPoint(10_000, 1, 18, 9.0, 2.0, 1.5, 40, Map.of(), LOAD, 0, 0)), IncrementalPoint::incrementalS), 1.2,
        List.of(new Report.FullRefresh(1_000_000, 90, 45, Map.of(), Map.of(), LOAD),
            new Report.FullRefresh(10_000, 22.5, 7.5, Map.of("parsed_data.parsed_users", 4000L), Map.of(), LOAD)));
    Report.Dispatch d = new Report.Dispatch(12, new Summary(40, 12, 48, 70), new Summary(80, 3, 9, 20),
        new Summary(5, 150, 400, 420), new Summary(5, 9000, 20000, 21000),
        Map.of("Model.Materialize", new Summary(30, 12, 40, 70)), Map.of("Model.Materialize",
        new Summary(30, 3000, 9000, 9500)), 1, 2, LOAD);
    Machine m = new Machine(2, 23.4, "OpenJDK 17", Map.of("trino", "476"));
    return new Report("2026-11-26T02:00:00Z", true, 420, m, new Report.StackFigures(31.5, 2.3, 3.1, LOAD), fresh,
        seed, tp, inc, d, List.of("a note"));
  }

  @Test
  void resultsJsonHoldsEveryHeadlineKey(@TempDir Path dir) throws Exception {
    ResultsWriter.write(report(), dir);
    JsonNode j = new ObjectMapper().readTree(Files.readString(dir.resolve("results.json")));
    for (String k : List.of("freshness_p50_s", "freshness_p95_s", "seed_settings_freshness_p50_s",
        "seed_settings_freshness_p95_s", "throughput_changes_per_s", "incremental_ratio_1m_vs_10k", "dispatch_p50_ms",
        "dispatch_p95_ms", "cold_start_s", "stack_rss_gib", "machine", "load_average")) {
      assertThat(j.has(k)).as(k).isTrue();
    }
    assertThat(j.get("freshness_p50_s").asDouble()).isEqualTo(20.0);
    assertThat(j.get("seed_settings_freshness_p95_s").asDouble()).isEqualTo(90.0);
    assertThat(j.get("freshness_ratio_seed_vs_defaults_p95").asDouble()).isEqualTo(3.0);
    assertThat(j.get("throughput_changes_per_s").asDouble()).isEqualTo(980.0);
    assertThat(j.get("incremental_ratio_1m_vs_10k").asDouble()).isEqualTo(1.1);
    assertThat(j.get("incremental_cpu_ratio_1m_vs_10k").asDouble()).isEqualTo(1.2);
    assertThat(j.get("incremental_with_checks_ratio_1m_vs_10k").asDouble()).isCloseTo(11.5 / 10.5, within(1e-9));
    assertThat(j.get("checks_share_of_run_wall").asDouble()).isCloseTo(1.6 / 11.5, within(1e-9));
    assertThat(j.get("checks_share_of_run_trino_cpu").asDouble()).isCloseTo(0.5 / 2.9, within(1e-9));
    // the smallest history's (every run of the bench has it), not the last one measured
    assertThat(j.get("full_refresh_s").asDouble()).isEqualTo(22.5);
    assertThat(j.get("one_run_all_models_s").asDouble()).isEqualTo(9.0);
    assertThat(j.get("one_run_generated_models_s").asDouble()).isEqualTo(3.0);
    assertThat(j.get("full_refresh_ctas_same_rows_s").asDouble()).isEqualTo(7.5);
    assertThat(j.get("full_refresh_vs_ctas_ratio").asDouble()).isEqualTo(3.0);
    assertThat(j.get("dispatch_p50_ms").asDouble()).isEqualTo(12.0);
    assertThat(j.get("cold_start_s").asDouble()).isEqualTo(31.5);
    assertThat(j.at("/machine/cores").asInt()).isEqualTo(2);
    assertThat(j.at("/machine/memory_gib").asDouble()).isEqualTo(23.4);
    assertThat(j.at("/machine/versions/trino").asText()).isEqualTo("476");
    assertThat(j.at("/load_average/freshness/m1").asDouble()).isEqualTo(3.5);
    assertThat(j.at("/load_average/throughput_step_5000/m1").asDouble()).isEqualTo(3.5);
    // JSON has no Infinity or NaN: an unseen row and an unpolled stage are null
    assertThat(j.at("/details/throughput/steps/1/freshness/p95").isNull()).isTrue();
    assertThat(j.at("/details/seed_settings_freshness/samples/1/latency_s").isNull()).isTrue();
    assertThat(j.at("/details/freshness/samples/2/raw_s").isNull()).isTrue();
    assertThat(j.at("/details/freshness/samples/0/raw_s").asDouble()).isEqualTo(8.0);
    assertThat(j.at("/details/freshness/model_runs/parsed_data.parsed_users/p50_s").asDouble()).isEqualTo(6.5);
    assertThat(j.at("/details/throughput/steps/1/backlog_at_end/topic_end").asLong()).isEqualTo(300_000);
    assertThat(j.at("/details/throughput/steps/1/flink_rate").asDouble()).isEqualTo(353.8);
  }

  @Test
  void markdownSaysWhatIsMetAndMissedWithTheLoad(@TempDir Path dir) throws Exception {
    ResultsWriter.write(report(), dir);
    String md = Files.readString(dir.resolve("summary.md"));
    assertThat(md).contains("p50 20.0 s / p95 30.0 s / max 31.0 s")
        .contains("ratio to defaults p50 2.50x, p95 3.00x")
        .contains("| **throughput** (highest step with p95 ≤ 60.0 s) | **980 changes/s** | ≥ 10,000/s | **missed** |")
        .contains("p95 never")
        .contains("**1.10x** wall (Trino CPU 1.20x) | ≤ 1.5x | met")
        .contains("| one run of all 1 models on 1,000 new events (10,000 history): wall and per model | 9.00 s wall in"
            + " 40 Trino queries, Trino CPU 2.00 s; per model parsed_users 3.00 s | ≤ 5.0 s wall, ≤ 1.5 s per model"
            + " | **missed** |")
        .contains("| full refresh of every model (10,000 history) vs CREATE TABLE AS of the same rows | 22.50 s vs"
            + " 7.50 s: 3.00x; per model parsed_users 4.00 s | ≤ 1.5x | **missed** |")
        .contains("p50 12 ms / p95 48 ms | p50 ≤ 50 ms | met | 3.5/2.0/1.0")
        .contains("- a note");
  }

  /** {@link #report()} with its incremental points replaced by these. */
  static Report withPoints(List<IncrementalPoint> points) {
    Report r = report();
    return new Report(r.startedAt(), false, r.totalSeconds(), r.machine(), r.stack(), r.freshness(),
        r.seedFreshness(), r.throughput(), new Report.Incremental(1000, points, Double.NaN, Double.NaN,
            r.incremental().fullRefreshes()), r.dispatch(), r.notes());
  }

  static IncrementalPoint point(long history, double wallS, double cpuS, double checksS, double checksCpuS, Load load) {
    return new IncrementalPoint(history, 1, 10, wallS, cpuS, 1.5, 24, Map.of("parsed_data.parsed_users", 1000L), load,
        checksS, checksCpuS);
  }

  @Test
  void theTenMillionRatioIsWrittenBesideTheOneMillionOneEachOfExactlyItsTwoHistories() throws Exception {
    Load late = new Load(6.5, 5.0, 4.0);
    Report r = withPoints(List.of(point(10_000_000, 8.0, 3.0, 3.0, 0.9, late), point(10_000, 5.0, 0.5, 2.0, 0.3, LOAD),
        point(100_000, 4.0, 0.6, 2.0, 0.3, LOAD), point(1_000_000, 6.0, 1.0, 2.5, 0.4, LOAD)));
    JsonNode j = new ObjectMapper().readTree(ResultsWriter.json(r));
    assertThat(j.get("incremental_ratio_10m_vs_10k").asDouble()).isCloseTo(8.0 / 5.0, within(1e-9));
    assertThat(j.get("incremental_cpu_ratio_10m_vs_10k").asDouble()).isCloseTo(3.0 / 0.5, within(1e-9));
    assertThat(j.get("incremental_with_checks_ratio_10m_vs_10k").asDouble()).isCloseTo(11.0 / 7.0, within(1e-9));
    // the 1M key is 1M's, not the largest history's
    assertThat(j.get("incremental_ratio_1m_vs_10k").asDouble()).isCloseTo(6.0 / 5.0, within(1e-9));
    assertThat(j.get("incremental_cpu_ratio_1m_vs_10k").asDouble()).isCloseTo(1.0 / 0.5, within(1e-9));
    assertThat(j.at("/load_average/incremental_10000000/m1").asDouble()).isEqualTo(6.5);
    String md = ResultsWriter.markdown(r);
    assertThat(md).contains("| **incremental ratio** 10,000,000 vs 10,000 history (`incremental_ratio_10m_vs_10k`)"
        + " | **1.60x** wall (Trino CPU 6.00x) | ≤ 1.5x | **missed** | 6.5/5.0/4.0 |")
        .contains("| **incremental ratio** 1,000,000 vs 10,000 history (`incremental_ratio_1m_vs_10k`) | **1.20x** wall"
            + " (Trino CPU 2.00x) | ≤ 1.5x | met | 3.5/2.0/1.0 |")
        .contains("(`incremental_ratio_100k_vs_10k`) | **0.80x** wall")
        .contains("| incremental ratio with each model's checks, 10,000,000 vs 10,000 history | 1.57x wall (Trino CPU"
            + " 4.88x) | ≤ 1.5x | **missed** |");
    assertThat(md.indexOf("100k_vs_10k")).isLessThan(md.indexOf("1m_vs_10k"));
    assertThat(md.indexOf("1m_vs_10k")).isLessThan(md.indexOf("10m_vs_10k"));
    List<String> lines = ResultsWriter.ratios(r.incremental()).stream().map(ResultsWriter.Ratio::line).toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(2)).isEqualTo("incremental_ratio_10m_vs_10k (10,000,000 vs 10,000 history): 1.60x wall,"
        + " 6.00x Trino CPU; with the checks 1.57x wall, 4.88x Trino CPU; target ≤ 1.5x: missed (load 6.5/5.0/4.0)");
  }

  @Test
  void aRunWithoutTheTenMillionHistoryLeavesItsRatioNull() throws Exception {
    JsonNode j = new ObjectMapper().readTree(ResultsWriter.json(report()));
    assertThat(j.has("incremental_ratio_10m_vs_10k")).isTrue();
    assertThat(j.get("incremental_ratio_10m_vs_10k").isNull()).isTrue();
    assertThat(j.get("incremental_cpu_ratio_10m_vs_10k").isNull()).isTrue();
    JsonNode small = new ObjectMapper().readTree(ResultsWriter.json(withPoints(List.of(point(10_000, 5, 1, 1, 1,
        LOAD), point(100_000, 6, 1, 1, 1, LOAD)))));
    assertThat(small.get("incremental_ratio_1m_vs_10k").isNull()).isTrue(); // not 100k's under 1M's name
    assertThat(ResultsWriter.ratios(withPoints(List.of(point(10_000, 5, 1, 1, 1, LOAD))).incremental())).isEmpty();
  }

  @Test
  void historySizesAreNamedAsTheKeysNameThem() {
    assertThat(ResultsWriter.label(10_000)).isEqualTo("10k");
    assertThat(ResultsWriter.label(100_000)).isEqualTo("100k");
    assertThat(ResultsWriter.label(1_000_000)).isEqualTo("1m");
    assertThat(ResultsWriter.label(10_000_000)).isEqualTo("10m");
    assertThat(ResultsWriter.label(2_500_000)).isEqualTo("2500k");
    assertThat(ResultsWriter.label(12_345)).isEqualTo("12345");
  }

  @Test
  void theGeneratedModelsOfARunAreTheRunWithoutTheBenchsUserModel() {
    Map<String, Long> perModel = new java.util.LinkedHashMap<>();
    perModel.put("parsed_data.parsed_users", 1200L);
    perModel.put("data_vault.s_users", 1600L);
    perModel.put(BenchUserModel.KEY, 1700L);
    assertThat(ResultsWriter.generated(perModel)).containsOnlyKeys("parsed_data.parsed_users", "data_vault.s_users");
    assertThat(ResultsWriter.generatedSeconds(perModel)).isCloseTo(2.8, within(1e-9));
    assertThat(perModel).hasSize(3); // the run's own figures are left as they are
  }

  @Test
  void aMissingPhaseLeavesItsKeysNull() throws Exception {
    Report r = report();
    Report partial = new Report(r.startedAt(), true, 1, r.machine(), null, r.freshness(), null, null, null, null,
        List.of());
    JsonNode j = new ObjectMapper().readTree(ResultsWriter.json(partial));
    assertThat(j.get("freshness_p50_s").asDouble()).isEqualTo(20.0);
    assertThat(j.get("seed_settings_freshness_p50_s").isNull()).isTrue();
    assertThat(j.get("throughput_changes_per_s").isNull()).isTrue();
    assertThat(j.get("cold_start_s").isNull()).isTrue();
    assertThat(ResultsWriter.markdown(partial)).doesNotContain("throughput");
  }
}
