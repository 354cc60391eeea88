package dev.lakehouse.workflows.activities;

/** PostgreSQL replication slot state: bytes of WAL retained behind the slot's confirmed flush LSN. */
public record SlotLag(String slot, boolean active, long lagBytes) {}
