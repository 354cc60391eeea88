package dev.lakehouse.spec;

/** A typed source column. */
public record ColumnSpec(String name, ColumnType type) {}
