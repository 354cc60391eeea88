package dev.lakehouse.workflows;

/**
 * Signal {@code backfill}: materialize a selection, rebuilding from all raw rows when {@code fullRefresh}.
 * {@code trigger} is a {@link Trigger} label (null in requests sent before runs carried it).
 */
public record BackfillRequest(String selection, boolean fullRefresh, String reason, String trigger) {
  public BackfillRequest(String selection, boolean fullRefresh, String reason, Trigger trigger) {
    this(selection, fullRefresh, reason, trigger.label());
  }
}
