package dev.lakehouse.workflows;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Who asked for a run: the value of the search attribute {@code LakehouseTrigger}. Requests carry the
 * {@link #label()} ({@code sensor}) as text, as hand-written {@code temporal workflow signal} inputs do; the
 * coordinator converts with {@link #fromLabel}, so an unknown label stays in the run's memo without failing it.
 */
public enum Trigger {
  /** A sensor saw new raw rows. */
  SENSOR,
  /** {@code lakehouse run}. */
  CLI,
  /** A schedule. */
  SCHEDULE,
  /** The asset console's buttons. */
  UI,
  /** {@code lakehouse backfill}. */
  BACKFILL;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Trigger> fromLabel(String label) {
    return Arrays.stream(values()).filter(t -> t.label().equals(label)).findFirst();
  }
}
