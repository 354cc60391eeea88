package dev.lakehouse.workflows.assets;

/** A selection that is malformed or matches no asset; the message lists near matches or the valid keys. */
public class SelectionException extends IllegalArgumentException {
  public SelectionException(String message) {
    super(message);
  }
}
