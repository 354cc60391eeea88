package dev.lakehouse.spec;

import java.util.List;
import java.util.Optional;

/** A source table: name, primary key columns, typed columns in declared order. */
public record TableSpec(String name, List<String> primaryKey, List<ColumnSpec> columns) {
  public TableSpec {
    primaryKey = List.copyOf(primaryKey);
    columns = List.copyOf(columns);
  }

  public Optional<ColumnSpec> column(String name) {
    return columns.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  public List<String> columnNames() {
    return columns.stream().map(ColumnSpec::name).toList();
  }
}
