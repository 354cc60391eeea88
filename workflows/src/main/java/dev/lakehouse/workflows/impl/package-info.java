/** Workflow implementations: pure and deterministic (no I/O, clocks or threads; {@code Workflow.getLogger}). */
package dev.lakehouse.workflows.impl;
