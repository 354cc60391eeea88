package dev.lakehouse.activities.trino;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.stack.junit.LakehouseStackExtension;

/**
 * The spec pointing at the integration-test stack: the local stack's S3Proxy, Iceberg REST catalog and Trino,
 * started once per test JVM on free ports ({@link LakehouseStackExtension}). With {@code -Dlakehouse.it.external=true}
 * the tests use the services of the spec as loaded ({@code -Dlakehouse.spec=...}) instead: a stack already running.
 */
final class ItStack {
  private ItStack() {}

  static PipelineSpec spec() {
    if (Boolean.getBoolean("lakehouse.it.external")) {
      return SpecLoader.load();
    }
    return SpecLoader.load(LakehouseStackExtension.configOverrides());
  }
}
