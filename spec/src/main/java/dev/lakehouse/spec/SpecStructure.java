package dev.lakehouse.spec;

import java.util.List;

/**
 * The structural part of a spec: source tables, hubs, links and satellites, without endpoints or schedules. What
 * {@code lakehouse apply} carries from the CLI to the worker (recorded in the apply workflow's history, so a replay
 * sees the spec that was applied), and what the worker's own spec is compared with.
 */
public record SpecStructure(List<TableSpec> tables, List<HubSpec> hubs, List<LinkSpec> links,
    List<SatelliteSpec> satellites) {
  public SpecStructure {
    tables = List.copyOf(tables);
    hubs = List.copyOf(hubs);
    links = List.copyOf(links);
    satellites = List.copyOf(satellites);
  }

  public java.util.Optional<TableSpec> table(String name) {
    return tables.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  public List<String> tableNames() {
    return tables.stream().map(TableSpec::name).toList();
  }
}
