package dev.lakehouse.worker;

import dev.lakehouse.workflows.activities.AssetCheckActivities;
import dev.lakehouse.workflows.activities.AssetCheckReport;
import dev.lakehouse.workflows.activities.CheckRecord;
import dev.lakehouse.workflows.activities.CheckRequest;
import dev.lakehouse.workflows.activities.MaterializationRecord;
import dev.lakehouse.workflows.activities.MaterializeContext;
import dev.lakehouse.workflows.activities.MaterializeResult;
import dev.lakehouse.workflows.activities.ModelActivities;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records which models were materialized and checked, and pretends each wrote one row and has no check. */
final class FakeModelActivities implements ModelActivities, AssetCheckActivities {
  final List<String> materialized = new CopyOnWriteArrayList<>();
  final List<String> checked = new CopyOnWriteArrayList<>();

  @Override
  public MaterializeResult materialize(String assetKey, MaterializeContext context) {
    materialized.add(assetKey);
    return new MaterializeResult(assetKey, 1, 1, 0);
  }

  @Override
  public void record(MaterializationRecord record) {
    // materialize returns no record to write
  }

  @Override
  public AssetCheckReport check(String assetKey, CheckRequest request) {
    checked.add(assetKey);
    return new AssetCheckReport(assetKey, List.of());
  }

  @Override
  public AssetCheckReport evaluate(String assetKey, CheckRequest request) {
    return check(assetKey, request);
  }

  @Override
  public void record(CheckRecord record) {
    // no results to keep: every report is empty
  }
}
