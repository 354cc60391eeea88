package dev.lakehouse.bench;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.stack.StackEndpoints;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The small-file cost of short checkpoint and sensor intervals: per table, the live data files and the snapshots
 * kept (Trino's {@code $files} and {@code $snapshots} metadata tables). Every Flink checkpoint with rows adds a file
 * to a raw table, every model run a file (or more) to its tables and to {@code ops.materializations}; each file and
 * snapshot is read again by later queries' planning until maintenance compacts and expires them.
 */
final class TableFiles {
  /** The tables on the probe's path, and the history every model run appends to. */
  static final List<String> TABLES = List.of("raw_data.users", "parsed_data.parsed_users", "parsed_data.rejected_users",
      "data_vault.h_users",
      "data_vault.s_users", "data_vault.s_users_state", "ops.materializations");

  /** One table: live data files, snapshots. */
  record Count(long files, long snapshots) {}

  private TableFiles() {}

  /** The counts now, per table of {@link #TABLES}; a table that cannot be read is left out. */
  static Map<String, Count> now(Endpoints e) {
    Map<String, Count> m = new LinkedHashMap<>();
    try (Connection c = StackEndpoints.openTrino(e)) {
      for (String t : TABLES) {
        String[] st = t.split("\\.");
        String base = "iceberg." + st[0] + ".\"" + st[1];
        try {
          m.put(t, new Count(Jdbc.scalar(c, "SELECT count(*) FROM " + base + "$files\""),
              Jdbc.scalar(c, "SELECT count(*) FROM " + base + "$snapshots\"")));
        } catch (SQLException ex) {
          // not created yet (or dropped): nothing to count
        }
      }
    } catch (SQLException ex) {
      // Trino unreachable: no figure rather than a failed benchmark
    }
    return m;
  }

  /** {@code raw_data.users +12 files (30 in all), +14 snapshots; ...} over {@code elapsed}, per 10 minutes. */
  static String growth(Map<String, Count> before, Map<String, Count> after, Duration elapsed) {
    double per10Min = 600.0 / Math.max(1, elapsed.toSeconds());
    return after.entrySet().stream().map(e -> {
      Count b = before.getOrDefault(e.getKey(), new Count(0, 0));
      Count a = e.getValue();
      return String.format("%s %d files (+%d, ≈%.0f per 10 min), %d snapshots (+%d)", e.getKey(), a.files(),
          a.files() - b.files(), (a.files() - b.files()) * per10Min, a.snapshots(), a.snapshots() - b.snapshots());
    }).collect(Collectors.joining("; "));
  }
}
