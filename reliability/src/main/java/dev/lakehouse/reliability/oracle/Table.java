package dev.lakehouse.reliability.oracle;

import java.util.List;

/** A table read back: column names in table order, rows as canonical text (null for SQL NULL). */
public record Table(String name, List<String> columns, List<List<String>> rows) {
  public int column(String column) {
    return columns.indexOf(column);
  }
}
