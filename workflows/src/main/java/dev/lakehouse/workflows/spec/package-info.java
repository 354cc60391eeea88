/**
 * The pipeline spec (docs/architecture.md#the-spec-lakehouseconf): {@code lakehouse.conf} loaded by
 * {@link dev.lakehouse.workflows.spec.SpecLoader}
 * into immutable, validated records rooted at {@link dev.lakehouse.workflows.spec.PipelineSpec}.
 */
package dev.lakehouse.workflows.spec;
