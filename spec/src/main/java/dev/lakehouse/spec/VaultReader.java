package dev.lakehouse.spec;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the Data Vault models of the spec ({@code lakehouse.hubs}, {@code links}, {@code satellites}) against its
 * tables, and checks them together: unique model names, known {@code depends-on} targets, no cycle.
 */
final class VaultReader {
  private final SpecValues in;

  VaultReader(SpecValues in) {
    this.in = in;
  }

  /**
   * The one table a model's {@code table.column} references come from: the first usable reference's. Each
   * reference is checked (its form, that the table and column exist, that it is from that table); a bad one is a
   * problem and gives no column.
   */
  private final class SourceTable {
    private final Map<String, TableSpec> tables;
    private final String what;
    private String table;

    /** {@code what}: the references, as the problem about a second table names them ({@code link columns}). */
    SourceTable(Map<String, TableSpec> tables, String what) {
      this.tables = tables;
      this.what = what;
    }

    /** The column {@code ref} names, or null when it is unusable (reported at {@code path}). */
    String column(String path, String ref) {
      int dot = ref.indexOf('.');
      if (dot <= 0 || dot == ref.length() - 1 || ref.indexOf('.', dot + 1) >= 0) {
        in.problem(path, "'" + ref + "' is not of the form table.column");
        return null;
      }
      String name = ref.substring(0, dot);
      String column = ref.substring(dot + 1);
      TableSpec t = tables.get(name);
      if (t == null) {
        in.problem(path, "unknown table '" + name + "'" + SpecValues.known(tables.keySet()));
        return null;
      }
      if (t.column(column).isEmpty()) {
        in.problem(path, "unknown column '" + column + "' in table '" + name + "'"
            + SpecValues.known(t.columnNames()));
        return null;
      }
      if (table != null && !table.equals(name)) {
        in.problem(path, "all " + what + " must come from one table ('" + table + "'), got '" + name + "'");
        return null;
      }
      table = name;
      return column;
    }

    /** The table, or empty when no reference was usable. */
    String table() {
      return table == null ? "" : table;
    }
  }

  List<HubSpec> hubs(Map<String, TableSpec> tables) {
    return in.each("hubs", (name, p) -> {
      List<String> refs = in.stringList(p + ".business-key");
      if (refs.isEmpty()) {
        in.problem(p + ".business-key", "a hub needs a business key (e.g. [\"users.id\"])");
      }
      SourceTable source = new SourceTable(tables, "business key columns");
      List<String> columns = new ArrayList<>();
      for (int i = 0; i < refs.size(); i++) {
        String column = source.column(p + ".business-key[" + i + "]", refs.get(i));
        if (column != null) {
          columns.add(column);
        }
      }
      return new HubSpec(name, source.table(), columns, in.stringListOrEmpty(p + ".depends-on"));
    });
  }

  List<LinkSpec> links(Map<String, TableSpec> tables, Map<String, HubSpec> hubs) {
    return in.each("links", (name, p) -> {
      List<? extends ConfigObject> refObjects = in.objectList(p + ".references");
      if (refObjects.size() < 2) {
        in.problem(p + ".references", "a link needs at least two references, got " + refObjects.size());
      }
      SourceTable source = new SourceTable(tables, "link columns");
      List<LinkSpec.Reference> references = new ArrayList<>();
      for (int i = 0; i < refObjects.size(); i++) {
        String rp = p + ".references[" + i + "]";
        Config c = refObjects.get(i).toConfig();
        String columnRef = in.subString(c, rp, "column");
        String hub = in.subString(c, rp, "hub");
        if (!hub.isEmpty() && !hubs.containsKey(hub)) {
          in.problem(rp + ".hub", "link to an unknown hub '" + hub + "'" + SpecValues.known(hubs.keySet()));
        }
        if (columnRef.isEmpty()) {
          continue;
        }
        String column = source.column(rp + ".column", columnRef);
        if (column != null) {
          references.add(new LinkSpec.Reference(column, hub));
        }
      }
      return new LinkSpec(name, source.table(), references, in.stringListOrEmpty(p + ".depends-on"));
    });
  }

  List<SatelliteSpec> satellites(Map<String, TableSpec> tables, Map<String, HubSpec> hubs) {
    return in.each("satellites", (name, p) -> {
      String parent = in.string(p + ".parent");
      HubSpec hub = hubs.get(parent);
      if (!parent.isEmpty() && hub == null) {
        in.problem(p + ".parent", "unknown hub '" + parent + "'" + SpecValues.known(hubs.keySet()));
      }
      List<String> columns = in.stringList(p + ".columns");
      if (columns.isEmpty() && in.has(p + ".columns")) {
        in.problem(p + ".columns", "a satellite needs at least one column");
      }
      TableSpec table = hub == null ? null : tables.get(hub.table());
      for (int i = 0; i < columns.size(); i++) {
        String column = columns.get(i);
        in.checkIdentifier(p + ".columns[" + i + "]", column);
        if (table != null && table.column(column).isEmpty()) {
          in.problem(p + ".columns[" + i + "]", "unknown column '" + column + "' in table '" + table.name() + "'"
              + SpecValues.known(table.columnNames()));
        }
      }
      return new SatelliteSpec(name, parent, hub == null ? "" : hub.table(), columns,
          in.stringListOrEmpty(p + ".depends-on"));
    });
  }

  /** Unique model names, known depends-on targets, no cycle through depends-on. */
  void checkModels(List<HubSpec> hubs, List<LinkSpec> links, List<SatelliteSpec> satellites) {
    Map<String, String> pathOf = new HashMap<>();
    Map<String, List<String>> dependsOn = new HashMap<>();
    for (HubSpec h : hubs) {
      register(pathOf, dependsOn, "hubs." + h.name(), h.name(), h.dependsOn());
    }
    for (LinkSpec l : links) {
      register(pathOf, dependsOn, "links." + l.name(), l.name(), l.dependsOn());
    }
    for (SatelliteSpec s : satellites) {
      register(pathOf, dependsOn, "satellites." + s.name(), s.name(), s.dependsOn());
    }
    for (Map.Entry<String, List<String>> e : dependsOn.entrySet()) {
      for (String d : e.getValue()) {
        if (!dependsOn.containsKey(d)) {
          in.problem(pathOf.get(e.getKey()) + ".depends-on", "unknown model '" + d + "'"
              + SpecValues.known(dependsOn.keySet()));
        }
      }
    }
    // cycle detection (DFS, deterministic order)
    Map<String, Integer> state = new HashMap<>();
    List<String> names = dependsOn.keySet().stream().sorted().toList();
    for (String n : names) {
      List<String> cycle = findCycle(n, dependsOn, state, new ArrayList<>());
      if (cycle != null) {
        in.problem(pathOf.get(cycle.get(0)) + ".depends-on", "cycle: " + String.join(" -> ", cycle));
        return;
      }
    }
  }

  private void register(Map<String, String> pathOf, Map<String, List<String>> dependsOn, String path, String name,
      List<String> deps) {
    if (pathOf.containsKey(name)) {
      in.problem(path, "model name '" + name + "' is also used by " + pathOf.get(name));
      return;
    }
    pathOf.put(name, path);
    dependsOn.put(name, deps);
    for (int i = 0; i < deps.size(); i++) {
      in.checkIdentifier(path + ".depends-on[" + i + "]", deps.get(i));
    }
  }

  private static List<String> findCycle(String node, Map<String, List<String>> edges, Map<String, Integer> state,
      List<String> stack) {
    Integer s = state.get(node);
    if (s != null && s == 2) {
      return null;
    }
    if (s != null && s == 1) {
      List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(node), stack.size()));
      cycle.add(node);
      return cycle;
    }
    state.put(node, 1);
    stack.add(node);
    for (String next : edges.getOrDefault(node, List.of())) {
      if (edges.containsKey(next)) {
        List<String> c = findCycle(next, edges, state, stack);
        if (c != null) {
          return c;
        }
      }
    }
    stack.remove(stack.size() - 1);
    state.put(node, 2);
    return null;
  }
}
