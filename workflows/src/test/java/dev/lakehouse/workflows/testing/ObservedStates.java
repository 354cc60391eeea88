package dev.lakehouse.workflows.testing;

import dev.lakehouse.spec.SatelliteSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.spec.SpecSource;
import dev.lakehouse.spec.SpecStructure;
import dev.lakehouse.spec.TableSpec;
import dev.lakehouse.workflows.apply.ObservedState;
import dev.lakehouse.workflows.apply.SourceTableState;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Structures and observed states for the plan and workflow tests. */
public final class ObservedStates {
  /** The bundled spec's structure. */
  public static final SpecStructure CURRENT = SpecLoader.load(Map.of()).structure();
  /** The example of docs/apply.md: the bundled spec plus transactions, users.phone and their vault models. */
  public static final SpecStructure EXAMPLE = SpecLoader.load(
      SpecSource.file(Path.of("../examples/transactions/transactions.conf").toAbsolutePath().normalize()), Map.of(),
      Map.of()).structure();

  private ObservedStates() {}

  /** Everything already runs {@code structure}: its tables exist, are published, captured, ingested. */
  public static ObservedState converged(SpecStructure structure) {
    Map<String, List<String>> iceberg = new HashMap<>();
    for (TableSpec t : structure.tables()) {
      iceberg.put("raw_data." + t.name(), List.of("data", "op"));
      iceberg.put("parsed_data.parsed_" + t.name(), t.columnNames());
    }
    for (SatelliteSpec s : structure.satellites()) {
      iceberg.put("data_vault." + s.name(), s.columns());
    }
    return new ObservedState(structure, sourceTables(structure.tableNames()), true, structure.tableNames(),
        structure.tableNames(), "aaaaaaaa", "aaaaaaaa", iceberg, List.of());
  }

  public static List<SourceTableState> sourceTables(List<String> names) {
    return names.stream().map(n -> new SourceTableState(n, true, true, true)).toList();
  }

  /** The example's source tables exist (the user ran transactions.sql), nothing else changed yet. */
  public static ObservedState beforeExample() {
    ObservedState now = converged(CURRENT);
    return new ObservedState(now.applied(), sourceTables(EXAMPLE.tableNames()), true, now.publicationTables(),
        now.connectorTables(), "aaaaaaaa", "bbbbbbbb", now.icebergColumns(), List.of());
  }
}
