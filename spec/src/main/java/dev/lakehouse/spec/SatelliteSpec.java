package dev.lakehouse.spec;

import java.util.List;

/** A satellite of hub {@code parent}, carrying {@code columns} (in hashdiff order) of the hub's {@code table}. */
public record SatelliteSpec(String name, String parent, String table, List<String> columns, List<String> dependsOn) {
  public SatelliteSpec {
    columns = List.copyOf(columns);
    dependsOn = List.copyOf(dependsOn);
  }
}
