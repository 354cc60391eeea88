package dev.lakehouse.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The generated models of a spec as the checks see them: each model's asset key, the columns of its table and its
 * built-in checks (docs/models.md#checks). The column lists follow the DDL of module {@code models}; a test there
 * compares them with the generated SQL, so the two cannot drift apart.
 */
public final class ModelCatalog {
  /** Columns every parsed table has after the source columns (the same list as the parse model's DDL). */
  public static final List<String> PARSED_META_COLUMNS = List.of(
      "op", "is_deleted", "source_lsn", "source_tx_id", "effective_from", "kafka_partition", "kafka_offset", "load_ts");

  private final Map<String, List<String>> columns = new LinkedHashMap<>();
  private final Map<String, List<CheckSpec>> builtIn = new LinkedHashMap<>();

  ModelCatalog(List<TableSpec> tables, List<HubSpec> hubs, List<LinkSpec> links, List<SatelliteSpec> satellites) {
    for (TableSpec t : tables) {
      String key = parsedKey(t.name());
      List<String> cols = new ArrayList<>(t.columnNames());
      cols.addAll(PARSED_META_COLUMNS);
      List<String> pkAndLsn = new ArrayList<>(t.primaryKey());
      pkAndLsn.add("source_lsn");
      add(key, cols, List.of(CheckSpec.unique(key, pkAndLsn)));
    }
    for (HubSpec h : hubs) {
      String key = vaultKey(h.name());
      String hk = hashKeyColumn(h.name());
      List<String> cols = new ArrayList<>(List.of(hk));
      cols.addAll(h.businessKey());
      cols.addAll(List.of("load_ts", "record_source"));
      add(key, cols, List.of(CheckSpec.unique(key, List.of(hk)), CheckSpec.unique(key, h.businessKey())));
    }
    for (LinkSpec l : links) {
      String key = vaultKey(l.name());
      List<String> cols = new ArrayList<>(List.of(hashKeyColumn(l.name())));
      List<CheckSpec> checks = new ArrayList<>(List.of(CheckSpec.unique(key, List.of(hashKeyColumn(l.name())))));
      Map<String, String> hubTables = new LinkedHashMap<>();
      hubs.forEach(h -> hubTables.put(h.name(), h.table()));
      linkHubKeys(l).forEach((column, hub) -> {
        cols.add(column);
        CheckSpec rel = CheckSpec.relationship(key, column, vaultKey(hub), hashKeyColumn(hub));
        // a hub of another table arrives through another topic and run: a link may point at a key it has not
        // loaded yet for a while, so that is reported, not a failed run
        checks.add(l.table().equals(hubTables.get(hub)) ? rel : rel.withSeverity(CheckSeverity.WARN));
      });
      cols.addAll(List.of("load_ts", "record_source"));
      add(key, cols, checks);
    }
    for (SatelliteSpec s : satellites) {
      String key = vaultKey(s.name());
      String hk = hashKeyColumn(s.parent());
      List<String> cols = new ArrayList<>(List.of(hk, "hashdiff"));
      cols.addAll(s.columns());
      cols.addAll(List.of("is_deleted", "effective_from", "source_lsn", "load_ts", "record_source"));
      add(key, cols, List.of(CheckSpec.unique(key, List.of(hk, "source_lsn")),
          CheckSpec.relationship(key, hk, vaultKey(s.parent()), hk)));
    }
  }

  public static ModelCatalog of(PipelineSpec spec) {
    return new ModelCatalog(spec.tables(), spec.hubs(), spec.links(), spec.satellites());
  }

  private void add(String key, List<String> cols, List<CheckSpec> checks) {
    columns.put(key, List.copyOf(cols));
    builtIn.put(key, List.copyOf(checks));
  }

  /** {@code parsed_data.parsed_users} */
  public static String parsedKey(String table) {
    return PipelineSpec.PARSED_SCHEMA + "." + PipelineSpec.parsedTableName(table);
  }

  /** {@code data_vault.h_users} */
  public static String vaultKey(String model) {
    return PipelineSpec.VAULT_SCHEMA + "." + model;
  }

  /** A hub's (or link's) hash key column: {@code h_users_hk}. */
  public static String hashKeyColumn(String model) {
    return model + "_hk";
  }

  /**
   * A link's hub key columns, in reference order, each with its hub: {@code h_users_hk -> h_users}. A link between
   * two rows of one hub names the second column by its source column too ({@code h_users_hk_manager_id}).
   */
  public static Map<String, String> linkHubKeys(LinkSpec link) {
    Map<String, String> out = new LinkedHashMap<>();
    for (LinkSpec.Reference r : link.references()) {
      String name = hashKeyColumn(r.hub());
      if (out.containsKey(name)) {
        name = name + "_" + r.column();
      }
      out.put(name, r.hub());
    }
    return out;
  }

  /** Every generated model's asset key, parsed models first. */
  public List<String> keys() {
    return List.copyOf(columns.keySet());
  }

  public Optional<List<String>> columns(String asset) {
    return Optional.ofNullable(columns.get(asset));
  }

  /** The checks every run of {@code asset} has without any declaration (empty for an unknown asset). */
  public List<CheckSpec> builtIn(String asset) {
    return builtIn.getOrDefault(asset, List.of());
  }
}
