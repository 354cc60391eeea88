package dev.lakehouse.activities.trino;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.models.InputRange;
import dev.lakehouse.spec.HubSpec;
import dev.lakehouse.spec.LinkSpec;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SatelliteSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.spec.TableSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The incremental algorithm the SQL implements (offset watermarks, dedupe against stored rows, first sightings,
 * satellites compared with the latest stored row per key), replayed in Java over many random workloads and batch
 * splits, must equal the {@link Oracle}'s one-pass result. Cheap where PropertyIT (real Trino) is expensive, so it
 * covers thousands of cases; PropertyIT then checks that the SQL is this algorithm.
 */
class IncrementalAlgorithmTest {
  static final PipelineSpec SPEC = SpecLoader.load();

  @Test
  void incrementalInRandomBatchesEqualsOnePass() {
    Oracle oracle = new Oracle(SPEC);
    for (long seed = 1; seed <= 300; seed++) {
      List<RawEvent> events = Workloads.generate(seed, 80);
      Random rnd = new Random(seed);
      Simulation sim = new Simulation(oracle);
      int i = 0;
      while (i < events.size()) {
        int size = 1 + rnd.nextInt(12);
        sim.parse(events.subList(i, Math.min(events.size(), i + size)));
        i += size;
        if (i >= events.size() || rnd.nextInt(100) < 60) {
          sim.vault();
        }
      }
      Map<String, List<List<String>>> expected = oracle.tables(events);
      for (Map.Entry<String, List<List<String>>> e : expected.entrySet()) {
        assertThat(sim.tables.getOrDefault(e.getKey(), List.of())).as("seed %d, %s", seed, e.getKey())
            .containsExactlyInAnyOrderElementsOf(e.getValue());
      }
    }
  }

  /** Incremental state, as the tables hold it between runs. */
  static final class Simulation {
    final Oracle oracle;
    final Map<String, List<List<String>>> tables = new LinkedHashMap<>();
    final Map<String, List<Oracle.Parsed>> parsed = new HashMap<>();
    final Set<List<String>> parsedKeys = new HashSet<>();
    /** vault model -> partition -> highest parsed offset consumed */
    final Map<String, Map<Integer, Long>> watermarks = new HashMap<>();
    /** satellite -> hk -> {hashdiff, lsn} of the latest stored row */
    final Map<String, Map<String, String[]>> state = new HashMap<>();

    Simulation(Oracle oracle) {
      this.oracle = oracle;
    }

    void parse(List<RawEvent> batch) {
      for (TableSpec t : SPEC.tables()) {
        List<List<String>> rejects = new ArrayList<>();
        List<Oracle.Parsed> rows = oracle.parse(t, batch.stream().filter(e -> e.table().equals(t.name())).toList(), rejects);
        tables.computeIfAbsent("parsed_data." + PipelineSpec.rejectedTableName(t.name()), k -> new ArrayList<>())
            .addAll(rejects);
        List<String> cols = new ArrayList<>(t.columnNames());
        cols.addAll(Oracle.META_COLUMNS);
        for (Oracle.Parsed p : rows) {
          List<String> key = new ArrayList<>();
          t.primaryKey().forEach(k -> key.add(p.get(k)));
          key.add(t.name() + "/" + p.lsn() + "/" + p.get("op"));
          if (parsedKeys.add(key)) { // MERGE ... WHEN NOT MATCHED
            parsed.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(p);
            tables.computeIfAbsent("parsed_data." + PipelineSpec.parsedTableName(t.name()), k -> new ArrayList<>())
                .add(cols.stream().map(p::get).toList());
          }
        }
      }
    }

    /**
     * The parsed rows a run of {@code model} reads: the models' own {@link InputRange#next} from the stored
     * watermark to the highest offsets present (what the run's SQL selects with {@link InputRange#predicate}),
     * then the range's {@link InputRange#watermark} is stored, as a successful run records it. A mistake in
     * either (a row read twice, or never) shows in the tables.
     */
    List<Oracle.Parsed> batch(String model, String table) {
      List<Oracle.Parsed> rows = parsed.getOrDefault(table, List.of());
      Map<Integer, Long> maxOffsets = new HashMap<>();
      rows.forEach(p -> maxOffsets.merge(p.partition(), p.offset(), Math::max));
      InputRange range = InputRange.next(watermarks.getOrDefault(model, Map.of()), maxOffsets);
      List<Oracle.Parsed> out = new ArrayList<>();
      for (Oracle.Parsed p : rows) {
        InputRange.Bounds b = range.partitions().get(p.partition());
        if (b != null && p.offset() > b.fromExclusive() && p.offset() <= b.toInclusive()) {
          out.add(p);
        }
      }
      watermarks.put(model, range.watermark());
      return out;
    }

    void vault() {
      for (HubSpec h : SPEC.hubs()) {
        insertNew("data_vault." + h.name(), oracle.hub(h, batch(h.name(), h.table())));
      }
      for (LinkSpec l : SPEC.links()) {
        insertNew("data_vault." + l.name(), oracle.link(l, batch(l.name(), l.table())));
      }
      for (SatelliteSpec s : SPEC.satellites()) {
        satellite(s, batch(s.name(), s.table()));
      }
    }

    private void insertNew(String table, List<List<String>> candidates) {
      List<List<String>> rows = tables.computeIfAbsent(table, k -> new ArrayList<>());
      Set<String> keys = new HashSet<>();
      rows.forEach(r -> keys.add(r.get(0)));
      candidates.stream().filter(r -> keys.add(r.get(0))).forEach(rows::add);
    }

    private void satellite(SatelliteSpec s, List<Oracle.Parsed> batch) {
      HubSpec hub = SPEC.hub(s.parent()).orElseThrow();
      Map<String, String[]> latest = state.computeIfAbsent(s.name(), k -> new HashMap<>());
      Map<String, List<Oracle.Parsed>> byKey = new LinkedHashMap<>();
      for (Oracle.Parsed p : batch) {
        String hk = Oracle.hashKey(hub.businessKey().stream().map(p::get).toList());
        String[] stored = latest.get(hk);
        if (stored == null || p.lsn() > Long.parseLong(stored[1])) {
          byKey.computeIfAbsent(hk, k -> new ArrayList<>()).add(p);
        }
      }
      List<List<String>> rows = tables.computeIfAbsent("data_vault." + s.name(), k -> new ArrayList<>());
      byKey.forEach((hk, history) -> {
        history.sort(Comparator.comparingLong(Oracle.Parsed::lsn).thenComparingInt(Oracle.Parsed::partition)
            .thenComparingLong(Oracle.Parsed::offset));
        String previous = latest.containsKey(hk) ? latest.get(hk)[0] : null;
        Long previousLsn = null;
        for (Oracle.Parsed p : history) {
          if (previousLsn != null && previousLsn == p.lsn()) {
            continue;
          }
          previousLsn = p.lsn();
          List<String> parts = new ArrayList<>();
          s.columns().forEach(c -> parts.add(p.get(c)));
          parts.add(p.get("is_deleted"));
          String hashdiff = Oracle.hashDiff(parts);
          if (!hashdiff.equals(previous)) {
            List<String> r = new ArrayList<>(List.of(hk, hashdiff));
            s.columns().forEach(c -> r.add(p.get(c)));
            for (String m : List.of("is_deleted", "effective_from", "source_lsn", "load_ts")) {
              r.add(p.get(m));
            }
            r.add(SPEC.source().topic(s.table()));
            rows.add(r);
            latest.put(hk, new String[] {hashdiff, String.valueOf(p.lsn())});
          }
          previous = hashdiff;
        }
      });
    }
  }
}
