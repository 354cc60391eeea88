package dev.lakehouse.workflows;

/** Signal {@code backfill}: materialize a selection, rebuilding from all raw rows when {@code fullRefresh}. */
public record BackfillRequest(String selection, boolean fullRefresh, String reason) {}
