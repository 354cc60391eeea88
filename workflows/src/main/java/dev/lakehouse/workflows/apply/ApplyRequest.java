package dev.lakehouse.workflows.apply;

import dev.lakehouse.spec.SpecStructure;

/**
 * The input of {@code spec-apply}: the structure to converge to (the CLI's spec file), whether to stop at the plan,
 * and whether tables and columns may stop being ingested.
 */
public record ApplyRequest(SpecStructure desired, boolean dryRun, boolean allowRemoval) {}
