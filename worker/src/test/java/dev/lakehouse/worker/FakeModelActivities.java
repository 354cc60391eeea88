package dev.lakehouse.worker;

import dev.lakehouse.workflows.activities.MaterializeContext;
import dev.lakehouse.workflows.activities.MaterializeResult;
import dev.lakehouse.workflows.activities.ModelActivities;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records which models were materialized and pretends each wrote one row. */
final class FakeModelActivities implements ModelActivities {
  final List<String> materialized = new CopyOnWriteArrayList<>();

  @Override
  public MaterializeResult materialize(String assetKey, MaterializeContext context) {
    materialized.add(assetKey);
    return new MaterializeResult(assetKey, 1, 1, 0);
  }
}
