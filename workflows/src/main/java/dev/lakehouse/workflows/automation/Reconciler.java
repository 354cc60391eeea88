package dev.lakehouse.workflows.automation;

import dev.lakehouse.workflows.automation.Change.Action;
import dev.lakehouse.workflows.automation.Change.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The reconcile decision, with no I/O: what the spec wants against what exists, as the list of changes that
 * makes them equal (one {@link Change} per schedule or sensor, {@code UNCHANGED} included so a caller can print
 * the whole picture). {@link ScheduleAutomation} observes and applies; {@code lakehouse status} only plans.
 */
public final class Reconciler {
  /** The pause note of {@code lakehouse automation stop}: only schedules paused with it are unpaused by a start. */
  public static final String STOP_NOTE = "paused by lakehouse automation stop";

  private Reconciler() {}

  /**
   * Schedules: a missing one is created; one whose cron or input differs is updated; one paused by
   * {@link #STOP_NOTE} is unpaused (a schedule paused by hand stays paused); a schedule the lakehouse made
   * ({@link ObservedSchedule#managed()}) that the spec no longer has is deleted. Ordered as {@code desired}, then
   * deletions by ID.
   */
  public static List<Change> schedules(List<ScheduledJob> desired, Map<String, ObservedSchedule> observed) {
    List<Change> changes = new ArrayList<>();
    for (ScheduledJob job : desired) {
      ObservedSchedule now = observed.get(job.id());
      if (now == null) {
        changes.add(new Change(Target.SCHEDULE, job.id(), Action.CREATE, "created, cron " + job.cron()));
        continue;
      }
      List<String> diffs = new ArrayList<>();
      if (!job.cron().equals(now.cron())) {
        diffs.add("cron " + (now.cron() == null ? "unknown" : now.cron()) + " → " + job.cron());
      }
      if (!Objects.equals(job.input(), now.input())) {
        // the whole input (thresholds, every model's freshness policy, the models checked) is too long for one line
        diffs.add(now.input() == null ? "input unreadable → the spec's"
            : "input changed (thresholds, policies or models)");
      }
      if (!diffs.isEmpty()) {
        changes.add(new Change(Target.SCHEDULE, job.id(), Action.UPDATE, String.join(", ", diffs)));
      }
      if (now.paused() && STOP_NOTE.equals(now.note())) {
        changes.add(new Change(Target.SCHEDULE, job.id(), Action.UNPAUSE, "unpaused (" + STOP_NOTE + ")"));
      } else if (diffs.isEmpty()) {
        changes.add(new Change(Target.SCHEDULE, job.id(), Action.UNCHANGED, "cron " + job.cron()
            + (now.paused() ? ", paused" + (now.note() == null || now.note().isEmpty() ? "" : ": " + now.note())
            : "")));
      }
    }
    Set<String> wanted = desired.stream().map(ScheduledJob::id).collect(Collectors.toSet());
    observed.values().stream().filter(o -> o.managed() && !wanted.contains(o.id()))
        .map(ObservedSchedule::id).sorted()
        .forEach(id -> changes.add(new Change(Target.SCHEDULE, id, Action.DELETE, "deleted (not in the spec)")));
    return changes;
  }

  /**
   * Sensors: one not running is started; one running with another interval gets the spec's by a signal (its
   * cursor stays; no restart); an interval that could not be read (0) is sent again; one running for a raw table
   * the spec no longer has (its table left the spec, e.g. {@code apply --allow-removal}) is stopped, after the
   * others, by ID.
   */
  public static List<Change> sensors(List<SensorTarget> desired, Map<String, SensorTarget> running) {
    List<Change> changes = new ArrayList<>();
    for (SensorTarget want : desired) {
      SensorTarget now = running.get(want.id());
      String every = duration(want.intervalMillis());
      if (now == null || !now.running()) {
        changes.add(new Change(Target.SENSOR, want.id(), Action.CREATE, "started, every " + every));
      } else if (now.intervalMillis() != want.intervalMillis()) {
        changes.add(new Change(Target.SENSOR, want.id(), Action.UPDATE, "interval "
            + (now.intervalMillis() <= 0 ? "unknown" : duration(now.intervalMillis())) + " → " + every));
      } else {
        changes.add(new Change(Target.SENSOR, want.id(), Action.UNCHANGED, "every " + every));
      }
    }
    Set<String> wanted = desired.stream().map(SensorTarget::id).collect(Collectors.toSet());
    running.values().stream().filter(s -> s.running() && !wanted.contains(s.id())).map(SensorTarget::id).sorted()
        .forEach(id -> changes.add(new Change(Target.SENSOR, id, Action.DELETE, "stopped (its table is not in the"
            + " spec)")));
    return changes;
  }

  /** {@code 5s}, {@code 1m30s}, {@code 250ms}: how the spec writes durations. */
  public static String duration(long millis) {
    Duration d = Duration.ofMillis(millis);
    if (d.toMillisPart() != 0) {
      return millis + "ms";
    }
    StringBuilder b = new StringBuilder();
    if (d.toHours() > 0) {
      b.append(d.toHours()).append('h');
    }
    if (d.toMinutesPart() > 0) {
      b.append(d.toMinutesPart()).append('m');
    }
    if (d.toSecondsPart() > 0 || b.length() == 0) {
      b.append(d.toSecondsPart()).append('s');
    }
    return b.toString();
  }
}
