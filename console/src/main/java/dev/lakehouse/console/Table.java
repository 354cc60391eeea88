package dev.lakehouse.console;

import java.util.List;

/** Rows of a Trino read as text, with their column names (the checks table's columns are its writer's). */
public record Table(List<String> columns, List<List<String>> rows) {
  public Table {
    columns = List.copyOf(columns);
    rows = List.copyOf(rows);
  }
}
