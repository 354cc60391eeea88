package dev.lakehouse.activities.trino;

import dev.lakehouse.activities.iceberg.RawTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §11, measured: the time of an incremental run of every model with 1k new change events on top of a small
 * history and on top of a large one; printed (and written to target/incremental-cost-benchmark.txt), never asserted.
 * Run with {@code ./mvnw -pl activities -am verify -Pbenchmark} ({@code -Dbenchmark.histories=10000,1000000},
 * {@code -Dbenchmark.new-events=1000}). History: users with 10 versions each on average, one Kafka partition.
 */
class IncrementalCostBenchmark {
  @Test
  void incrementalRunCostVersusHistorySize() throws Exception {
    List<Long> histories = Arrays.stream(System.getProperty("benchmark.histories", "10000,1000000").split(","))
        .map(String::trim).map(Long::parseLong).toList();
    int fresh = Integer.getInteger("benchmark.new-events", 1000);
    Harness h = new Harness(ItStack.spec());
    Map<Long, Map<String, Long>> results = new LinkedHashMap<>();
    StringBuilder report = new StringBuilder();
    for (long history : histories) {
      h.reset();
      long t0 = System.nanoTime();
      generate(h, 0, history, history / 10);
      long loaded = System.nanoTime();
      h.runAll(false);
      long initial = System.nanoTime();
      generate(h, history, fresh, history / 10);
      Map<String, Long> perModel = new LinkedHashMap<>();
      long total = 0;
      for (String m : h.models()) {
        long s = System.nanoTime();
        h.run(m);
        long ms = (System.nanoTime() - s) / 1_000_000;
        perModel.put(m, ms);
        total += ms;
      }
      perModel.put("total", total);
      results.put(history, perModel);
      String line = String.format("history %,d events (raw insert %.1f s, initial load %.1f s): incremental run of %,d"
              + " new events %,d ms %s", history, (loaded - t0) / 1e9, (initial - loaded) / 1e9, fresh, total, perModel);
      System.out.println("[benchmark] " + line);
      report.append(line).append('\n');
    }
    if (histories.size() >= 2) {
      long small = results.get(histories.get(0)).get("total");
      long large = results.get(histories.get(histories.size() - 1)).get("total");
      String line = String.format("ratio %,d vs %,d history: %.2fx (target <= 1.5x)", histories.get(histories.size() - 1),
          histories.get(0), large / (double) small);
      System.out.println("[benchmark] " + line);
      report.append(line).append('\n');
    }
    try {
      Files.writeString(Path.of("target/incremental-cost-benchmark.txt"), report.toString());
    } catch (IOException e) {
      System.out.println("could not write the report: " + e);
    }
  }

  /**
   * {@code count} user events with offsets and LSNs from {@code first}: event i touches user i % keys (created by
   * its first event, updated after), generated inside Trino in one INSERT (one commit, like a checkpoint).
   */
  static void generate(Harness h, long first, long count, long keys) throws Exception {
    long outer = Math.max(1, (count + 999) / 1000);
    String sql = "INSERT INTO iceberg.raw_data.users (" + String.join(", ", RawTables.COLUMNS) + ")\n"
        + "SELECT '{\"id\":\"' || to_hex(to_big_endian_32(CAST(k AS integer))) || '-0000-4000-8000-000000000000\",\"email\":\"u' || CAST(k AS"
        + " varchar) || '@x.io\",\"name\":\"n' || CAST(i AS varchar) || '\",\"created_at\":20000}',\n"
        + "  CASE WHEN i < " + keys + " THEN 'c' ELSE 'u' END, 1795000000000 + i, 1795000000000 + i, 1000 + i,\n"
        + "  1000000000 + 10 * i, 'postgresql', 'bank', 'public', 'users', 0, i,\n"
        + "  from_unixtime(1795000000 + i / 1000e0), from_unixtime(1795000000 + i / 1000e0)\n"
        + "FROM (SELECT " + first + " + y * 1000 + x AS i, (" + first + " + y * 1000 + x) % " + keys + " AS k\n"
        + "  FROM UNNEST(sequence(0, 999)) a(x) CROSS JOIN UNNEST(sequence(0, " + (outer - 1) + ")) b(y))\n"
        + "WHERE i < " + (first + count);
    try (Connection c = h.trino.open(); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

}
