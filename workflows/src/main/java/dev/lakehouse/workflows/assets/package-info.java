/**
 * The asset graph (docs/architecture.md#assets-and-selections), built from the spec:
 * {@link dev.lakehouse.workflows.assets.AssetGraph}, dbt-style selection
 * ({@link dev.lakehouse.workflows.assets.Selection}) and materialization plans.
 */
package dev.lakehouse.workflows.assets;
