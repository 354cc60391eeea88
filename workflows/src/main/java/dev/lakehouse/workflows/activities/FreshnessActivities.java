package dev.lakehouse.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/** Each model's freshness, read from Trino as {@code lakehouse status} reads it (for the freshness policies). */
@ActivityInterface(namePrefix = "Freshness.")
public interface FreshnessActivities {
  @ActivityMethod
  List<ModelFreshness> modelLags();
}
