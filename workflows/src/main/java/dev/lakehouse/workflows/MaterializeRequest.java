package dev.lakehouse.workflows;

/**
 * Signal {@code request}: materialize a selection incrementally; null/blank selection = every model.
 * {@code trigger} is a {@link Trigger} label (null in requests sent before runs carried it).
 */
public record MaterializeRequest(String selection, String reason, String trigger) {
  public MaterializeRequest(String selection, String reason, Trigger trigger) {
    this(selection, reason, trigger.label());
  }
}
