package dev.lakehouse.workflows.automation;

import java.time.Duration;

/**
 * A Temporal Schedule the spec wants: its fixed ID (also the prefix of the workflow IDs it starts), the workflow
 * type and input each action starts, the spec's 5-field cron and how late a missed action may still start.
 * Overlap policy is always SKIP: a run still in progress when the next is due makes the next one a no-op.
 */
public record ScheduledJob(String id, String workflowType, Object input, String cron, Duration catchupWindow) {}
