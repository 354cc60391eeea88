package dev.lakehouse.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The PostgreSQL source: replication slot lag. */
@ActivityInterface(namePrefix = "Source.")
public interface SourceActivities {
  @ActivityMethod
  SlotLag slotLag();
}
