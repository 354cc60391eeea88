package dev.lakehouse.spec;

/** A typed source column. {@code type} is lower case: uuid, varchar, text, boolean, integer, bigint, double, date, timestamp, decimal(p,s). */
public record ColumnSpec(String name, String type) {}
