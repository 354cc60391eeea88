/**
 * Activity interfaces (one per outside system) and their DTOs. Implementations live in the
 * {@code activities} module; retry policies in {@link dev.lakehouse.workflows.activities.ActivityOptionsCatalog};
 * failure types in {@link dev.lakehouse.workflows.activities.FailureTypes}.
 */
package dev.lakehouse.workflows.activities;
