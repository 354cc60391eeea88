package dev.lakehouse.workflows;

import dev.lakehouse.workflows.assets.MaterializePlan;

/** Input of one materialization run: the resolved plan and the mode. */
public record MaterializeInput(MaterializePlan plan, boolean fullRefresh) {}
