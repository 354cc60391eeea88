package dev.lakehouse.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/**
 * Each model's freshness and watermark, read from Trino as {@code lakehouse status} reads them (for the freshness
 * policies and the recreated-topic detector).
 */
@ActivityInterface(namePrefix = "Freshness.")
public interface FreshnessActivities {
  @ActivityMethod
  List<ModelFreshness> modelLags();

  /**
   * Each model's watermark per CDC topic partition of its raw input (models that never ran, and user SQL models,
   * have none), for the health check's recreated-topic detector.
   */
  @ActivityMethod
  List<ModelWatermark> watermarks();
}
