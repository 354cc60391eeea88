/**
 * {@code lakehouse apply}: the observed state of every system, the plan that brings it to the spec (pure: no
 * I/O), and the {@code spec-apply} workflow that observes and converges through activities (docs/apply.md).
 */
package dev.lakehouse.workflows.apply;
