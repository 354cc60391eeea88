package dev.lakehouse.activities.trino;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import java.util.HashMap;
import java.util.Map;

/**
 * The spec pointing at the integration-test stack: the local stack's S3Proxy, Iceberg REST catalog and Trino,
 * started once per test JVM on free ports ({@link LakehouseStackExtension}). With {@code -Dlakehouse.it.external=true}
 * the tests use the services of the spec as loaded ({@code -Dlakehouse.spec=...}) instead: a stack already running.
 */
final class ItStack {
  private ItStack() {}

  static PipelineSpec spec() {
    return spec(Map.of());
  }

  /** {@link #spec()} with some settings of the test's own ({@code lakehouse.worker.model-batch-max-rows}). */
  static PipelineSpec spec(Map<String, String> settings) {
    Map<String, String> overrides = new HashMap<>(settings);
    if (!Boolean.getBoolean("lakehouse.it.external")) {
      overrides.putAll(LakehouseStackExtension.configOverrides());
    }
    return SpecLoader.load(overrides);
  }
}
