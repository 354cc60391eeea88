package dev.lakehouse.workflows;

/** Signal {@code request}: materialize a selection incrementally; null/blank selection = every model. */
public record MaterializeRequest(String selection, String reason) {}
