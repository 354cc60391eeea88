/**
 * The automation as a desired state and its reconciliation: {@link dev.lakehouse.workflows.automation.AutomationPlan}
 * says what the spec wants (Temporal Schedules, sensors), {@link dev.lakehouse.workflows.automation.Reconciler}
 * compares it with what runs (pure, unit-tested), {@link dev.lakehouse.workflows.automation.ScheduleAutomation}
 * observes and applies through the Temporal client (client-side code, never called from a workflow).
 */
package dev.lakehouse.workflows.automation;
