/** The health check's judgements that need no I/O: the silent-loss detectors. */
package dev.lakehouse.workflows.health;
