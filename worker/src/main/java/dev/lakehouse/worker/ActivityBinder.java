package dev.lakehouse.worker;

import com.google.inject.Binder;
import com.google.inject.multibindings.Multibinder;

/** Where activity modules add their implementations: {@code ActivityBinder.activities(binder()).addBinding()...}. */
public final class ActivityBinder {
  private ActivityBinder() {}

  /** The set of {@link ActivityImplementations} (safe to call from many modules). */
  public static Multibinder<Object> activities(Binder binder) {
    return Multibinder.newSetBinder(binder, Object.class, ActivityImplementations.class);
  }
}
