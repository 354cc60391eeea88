package dev.lakehouse.activities.trino;

import dev.lakehouse.workflows.spec.PipelineSpec;
import dev.lakehouse.workflows.spec.SpecLoader;

/** The spec pointing at the integration-test stack (S3, Iceberg REST, Trino). */
final class ItStack {
  private ItStack() {}

  static PipelineSpec spec() {
    return SpecLoader.load();
  }
}
