package dev.lakehouse.workflows.activities;

/** One maintenance operation on one table. */
public record MaintenanceResult(String table, String operation, String detail) {}
