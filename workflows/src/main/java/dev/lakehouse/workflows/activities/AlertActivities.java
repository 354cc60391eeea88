package dev.lakehouse.workflows.activities;

import dev.lakehouse.workflows.Incident;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Posts an incident's opening or resolution to the spec's webhook ({@code lakehouse.alerts}; none: a no-op). */
@ActivityInterface(namePrefix = "Alert.")
public interface AlertActivities {
  /** Returns what was done ({@code posted to ...}, {@code alerts off}); a refused post fails (and is retried). */
  @ActivityMethod
  String send(Incident incident, boolean resolved);
}
