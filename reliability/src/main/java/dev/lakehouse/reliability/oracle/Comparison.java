package dev.lakehouse.reliability.oracle;

import dev.lakehouse.spec.PipelineSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares the lakehouse's parsed and vault tables with the oracle's, row for row, and says what differs:
 * <ul>
 *   <li><b>duplicated</b>: more than one row for one identity (parsed: primary key, LSN and op; hub and link:
 *       hash key; satellite: hash key and LSN), counted before anything else and then set aside;</li>
 *   <li><b>missing</b> (lost) and <b>extra</b> rows, and <b>different</b> ones (a missing and an extra row with the
 *       same key: primary key, txId and op; hash key; hash key and position in the key's history).</li>
 * </ul>
 * Compared on every column but those only the running pipeline knows (Kafka coordinates, LSN, load and commit
 * times); a satellite's rows are compared with their position in the key's history (ordered by LSN), so a
 * history in the wrong order is a difference too.
 */
public final class Comparison {
  /** Columns the oracle cannot know: they depend on the run, not on the changes. */
  public static final Set<String> RUN_COLUMNS = Set.of("kafka_partition", "kafka_offset", "kafka_timestamp",
      "load_ts", "effective_from", "source_lsn");

  enum Kind { PARSED, HUB, LINK, SATELLITE }

  /** One table's differences; rows shown with their compared columns. */
  public record TableDiff(String table, List<String> columns, int expectedRows, int actualRows,
      List<List<String>> missing, List<List<String>> extra, List<List<List<String>>> different, int duplicated,
      int restatedReads) {
    public boolean exact() {
      return missing.isEmpty() && extra.isEmpty() && different.isEmpty() && duplicated == 0;
    }

    /** Rows the lakehouse should hold and does not (a different row counts as one lost). */
    public int lost() {
      return missing.size() + different.size();
    }
  }

  private final List<TableDiff> tables;

  private Comparison(List<TableDiff> tables) {
    this.tables = tables;
  }

  public List<TableDiff> tables() {
    return tables;
  }

  public boolean exact() {
    return tables.stream().allMatch(TableDiff::exact);
  }

  public long lost() {
    return tables.stream().mapToLong(TableDiff::lost).sum();
  }

  public long duplicated() {
    return tables.stream().mapToLong(TableDiff::duplicated).sum();
  }

  public long extra() {
    return tables.stream().mapToLong(t -> t.extra().size()).sum();
  }

  /** Snapshot reads in the parsed tables that restate a streamed change: kept by design, not counted as extra. */
  public long restatedReads() {
    return tables.stream().mapToLong(TableDiff::restatedReads).sum();
  }

  /**
   * Compares every expected parsed and vault table (rejected tables are not compared here) with the same table
   * read from the lakehouse. A table missing from {@code actual} counts all its rows as lost.
   */
  public static Comparison of(PipelineSpec spec, Map<String, List<List<String>>> expected, Map<String, Table> actual) {
    List<TableDiff> diffs = new ArrayList<>();
    expected.forEach((name, rows) -> {
      Kind kind = kind(name);
      if (kind != null) {
        Table a = actual.get(name);
        if (a == null) {
          diffs.add(new TableDiff(name, List.of(), rows.size(), 0, rows, List.of(), List.of(), 0, 0));
        } else {
          diffs.add(compare(spec, kind, aligned(spec, kind, a), rows));
        }
      }
    });
    return new Comparison(diffs);
  }

  /** The tables {@link #of} compares, by {@code schema.table}. */
  public static List<String> comparedTables(Map<String, List<List<String>>> expected) {
    return expected.keySet().stream().filter(t -> kind(t) != null).toList();
  }

  static Kind kind(String table) {
    String name = table.substring(table.indexOf('.') + 1);
    if (table.startsWith(PipelineSpec.PARSED_SCHEMA + ".")) {
      return name.startsWith("rejected_") ? null : Kind.PARSED;
    }
    if (name.startsWith("h_")) {
      return Kind.HUB;
    }
    if (name.startsWith("l_")) {
      return Kind.LINK;
    }
    return name.startsWith("s_") ? Kind.SATELLITE : null;
  }

  /**
   * The table with its columns in the order the oracle writes them: a column {@code lakehouse apply} added to an
   * existing parsed table or satellite ({@code updateSchema().addColumn}) is stored last, after the metadata
   * columns, while a table created with it (and the oracle) has the spec's columns together: the spec's columns
   * first for a parsed table, after the hash key and hashdiff for a satellite. Hubs and links never gain columns.
   */
  static Table aligned(PipelineSpec spec, Kind kind, Table actual) {
    String name = actual.name().substring(actual.name().indexOf('.') + 1);
    List<String> specColumns;
    int at;
    if (kind == Kind.PARSED) {
      specColumns = spec.table(name.substring("parsed_".length())).orElseThrow().columnNames();
      at = 0;
    } else if (kind == Kind.SATELLITE) {
      specColumns = spec.satellites().stream().filter(s -> s.name().equals(name)).findFirst()
          .map(s -> s.columns()).orElse(List.of());
      at = Math.min(2, actual.columns().size());
    } else {
      return actual;
    }
    List<String> order = new ArrayList<>(actual.columns());
    List<String> present = specColumns.stream().filter(order::contains).toList();
    order.removeAll(present);
    order.addAll(Math.min(at, order.size()), present);
    if (order.equals(actual.columns())) {
      return actual;
    }
    List<Integer> from = order.stream().map(actual::column).toList();
    return new Table(actual.name(), order, project(actual.rows(), from));
  }

  private static TableDiff compare(PipelineSpec spec, Kind kind, Table actual, List<List<String>> expectedRows) {
    List<String> cols = actual.columns();
    List<Integer> identity = new ArrayList<>();
    List<Integer> pairKey = new ArrayList<>();
    switch (kind) {
      case PARSED -> {
        String source = actual.name().substring(actual.name().indexOf('.') + 1 + "parsed_".length());
        spec.table(source).orElseThrow().primaryKey().forEach(k -> identity.add(cols.indexOf(k)));
        pairKey.addAll(identity);
        identity.add(cols.indexOf("source_lsn"));
        identity.add(cols.indexOf("op"));
        pairKey.add(cols.indexOf("source_tx_id"));
        pairKey.add(cols.indexOf("op"));
      }
      case HUB, LINK -> {
        identity.add(0);
        pairKey.add(0);
      }
      case SATELLITE -> {
        identity.add(0);
        identity.add(cols.indexOf("source_lsn"));
        pairKey.add(0);
        pairKey.add(-1); // the position in the key's history, appended below
      }
    }
    int[] dup = {0};
    List<List<String>> actualRows = dedupe(actual.rows(), identity, dup);
    List<List<String>> expectedDeduped = dedupe(expectedRows, identity, new int[1]);
    int lsn = cols.indexOf("source_lsn");
    if (kind == Kind.SATELLITE) {
      actualRows = withHistoryPosition(actualRows, lsn);
      expectedDeduped = withHistoryPosition(expectedDeduped, lsn);
    }
    List<String> shown = new ArrayList<>();
    List<Integer> keep = new ArrayList<>();
    for (int i = 0; i < cols.size(); i++) {
      if (!RUN_COLUMNS.contains(cols.get(i))) {
        keep.add(i);
        shown.add(cols.get(i));
      }
    }
    if (kind == Kind.SATELLITE) {
      keep.add(cols.size());
      shown.add("history_position");
    }
    List<Integer> pairIdx = pairKey.stream().map(i -> i == -1 ? keep.size() - 1 : keep.indexOf(i)).toList();

    Map<List<String>, Integer> want = counts(project(expectedDeduped, keep));
    Map<List<String>, Integer> have = counts(project(actualRows, keep));
    List<List<String>> missing = minus(want, have);
    List<List<String>> extra = minus(have, want);
    int restated = kind == Kind.PARSED ? removeRestatedReads(extra, want.keySet(), shown) : 0;
    List<List<List<String>>> different = new ArrayList<>();
    for (Iterator<List<String>> m = missing.iterator(); m.hasNext(); ) {
      List<String> miss = m.next();
      List<String> key = pick(miss, pairIdx);
      for (Iterator<List<String>> x = extra.iterator(); x.hasNext(); ) {
        List<String> ex = x.next();
        if (pick(ex, pairIdx).equals(key)) {
          different.add(List.of(miss, ex));
          m.remove();
          x.remove();
          break;
        }
      }
    }
    return new TableDiff(actual.name(), shown, expectedRows.size(), actual.rows().size(), missing, extra, different,
        dup[0], restated);
  }

  /**
   * Takes out of {@code extra} the snapshot reads that restate a streamed change (docs/models.md, "Snapshot reads
   * without an LSN"): an incremental snapshot's chunk can read a row that was streamed before the chunk's window
   * opened, and Debezium then sends it again as op {@code r} without a transaction id. The parsed table keeps such a
   * read by design (the vault leaves it out), and when a chunk runs depends on Debezium, not on the changes, so the
   * oracle accepts a read whose row (every compared column but op and transaction id) equals one the key's streamed
   * changes left. Returns how many it took out.
   */
  static int removeRestatedReads(List<List<String>> extra, Set<List<String>> expected, List<String> columns) {
    int op = columns.indexOf("op");
    int tx = columns.indexOf("source_tx_id");
    if (op < 0 || tx < 0) {
      return 0;
    }
    Set<List<String>> states = new java.util.HashSet<>();
    for (List<String> row : expected) {
      if (!"d".equals(row.get(op))) {
        states.add(state(row, op, tx));
      }
    }
    int removed = 0;
    for (Iterator<List<String>> x = extra.iterator(); x.hasNext(); ) {
      List<String> row = x.next();
      if ("r".equals(row.get(op)) && row.get(tx) == null && states.contains(state(row, op, tx))) {
        x.remove();
        removed++;
      }
    }
    return removed;
  }

  private static List<String> state(List<String> row, int op, int tx) {
    List<String> s = new ArrayList<>(row);
    s.set(op, null);
    s.set(tx, null);
    return s;
  }

  private static List<List<String>> dedupe(List<List<String>> rows, List<Integer> identity, int[] duplicates) {
    Map<List<String>, List<String>> first = new LinkedHashMap<>();
    for (List<String> r : rows) {
      if (first.putIfAbsent(pick(r, identity), r) != null) {
        duplicates[0]++;
      }
    }
    return new ArrayList<>(first.values());
  }

  /** Appends each row's 0-based position in its key's history (column 0), ordered by LSN. */
  private static List<List<String>> withHistoryPosition(List<List<String>> rows, int lsn) {
    Map<String, List<List<String>>> byKey = new LinkedHashMap<>();
    rows.forEach(r -> byKey.computeIfAbsent(r.get(0), k -> new ArrayList<>()).add(r));
    List<List<String>> out = new ArrayList<>();
    byKey.values().forEach(history -> {
      history.sort(Comparator.comparing(r -> Long.parseLong(r.get(lsn))));
      for (int i = 0; i < history.size(); i++) {
        List<String> r = new ArrayList<>(history.get(i));
        r.add(String.valueOf(i));
        out.add(r);
      }
    });
    return out;
  }

  private static List<List<String>> project(List<List<String>> rows, List<Integer> keep) {
    return rows.stream().map(r -> pick(r, keep)).toList();
  }

  private static List<String> pick(List<String> row, List<Integer> idx) {
    List<String> out = new ArrayList<>(idx.size());
    idx.forEach(i -> out.add(i < 0 || i >= row.size() ? null : row.get(i)));
    return out;
  }

  private static Map<List<String>, Integer> counts(List<List<String>> rows) {
    Map<List<String>, Integer> m = new HashMap<>();
    rows.forEach(r -> m.merge(r, 1, Integer::sum));
    return m;
  }

  private static List<List<String>> minus(Map<List<String>, Integer> a, Map<List<String>, Integer> b) {
    List<List<String>> out = new ArrayList<>();
    a.forEach((row, n) -> {
      for (int i = b.getOrDefault(row, 0); i < n; i++) {
        out.add(row);
      }
    });
    return out;
  }

  /** A readable diff: one line per table, then up to {@code maxRows} rows of each kind. */
  public String describe(int maxRows) {
    StringBuilder b = new StringBuilder();
    for (TableDiff t : tables) {
      b.append(String.format("%-30s expected %5d, actual %5d: %s%s%n", t.table(), t.expectedRows(), t.actualRows(),
          t.exact() ? "exact" : t.missing().size() + " missing, " + t.extra().size() + " extra, "
              + t.different().size() + " different, " + t.duplicated() + " duplicated",
          t.restatedReads() == 0 ? "" : " (and " + t.restatedReads() + " snapshot reads restating a streamed change)"));
      if (t.exact()) {
        continue;
      }
      b.append("    columns: ").append(String.join(" | ", t.columns())).append('\n');
      t.missing().stream().limit(maxRows).forEach(r -> b.append("  - missing ").append(row(r)).append('\n'));
      t.extra().stream().limit(maxRows).forEach(r -> b.append("  + extra   ").append(row(r)).append('\n'));
      for (List<List<String>> d : t.different().stream().limit(maxRows).toList()) {
        b.append("  ~ expected ").append(row(d.get(0))).append('\n');
        b.append("      actual ").append(row(d.get(1))).append('\n');
      }
    }
    return b.toString();
  }

  private static String row(List<String> r) {
    return String.join(" | ", r.stream().map(v -> v == null ? "NULL" : v).toList());
  }
}
