package dev.lakehouse.workflows.automation;

/**
 * A schedule as the server describes it. {@code cron} is the spec cron it was created with (the server keeps
 * crons only as calendars, so the lakehouse records the text in the action's memo; null when absent, e.g. a
 * schedule made by hand); {@code input} the decoded input of its action (null when unreadable); {@code note} the
 * note of its last pause or unpause.
 */
public record ObservedSchedule(String id, String cron, Object input, boolean paused, String note,
    boolean managed) {}
