package dev.lakehouse.workflows.apply;

/**
 * A spec table as PostgreSQL has it: whether it exists, has a primary key, and logs the whole old row
 * ({@code REPLICA IDENTITY FULL}), so a delete's before-image carries every column and not just the key.
 */
public record SourceTableState(String name, boolean exists, boolean hasPrimaryKey, boolean replicaIdentityFull) {
  public static SourceTableState missing(String name) {
    return new SourceTableState(name, false, false, false);
  }
}
