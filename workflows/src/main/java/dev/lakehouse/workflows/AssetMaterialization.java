package dev.lakehouse.workflows;

/**
 * The last successful materialization of one model as the coordinator saw it: when (workflow time), by which
 * run (child workflow id), in which mode, and the rows it wrote.
 */
public record AssetMaterialization(String assetKey, long atMillis, String runWorkflowId, boolean fullRefresh,
    long rowsOut) {}
