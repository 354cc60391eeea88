package dev.lakehouse.workflows.activities;

/**
 * PostgreSQL replication slot state: bytes of WAL retained behind the slot's confirmed flush LSN ({@code -1} when
 * the slot does not exist), whether it exists and its {@code wal_status} ({@code lost}: invalidated, its WAL is gone).
 * {@code exists} and {@code walStatus} are null in reports from before they were read.
 */
public record SlotLag(String slot, boolean active, long lagBytes, Boolean exists, String walStatus) {
  /** A slot state without existence and WAL status (older reports, tests). */
  public SlotLag(String slot, boolean active, long lagBytes) {
    this(slot, active, lagBytes, null, null);
  }
}
