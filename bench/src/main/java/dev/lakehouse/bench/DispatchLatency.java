package dev.lakehouse.bench;

import com.google.protobuf.Timestamp;
import dev.lakehouse.bench.Stats.Summary;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Temporal's overhead read from workflow histories (pure: no server). The ActivityTaskStarted event is written
 * when the activity finishes, but carries the time the worker picked the task up, so scheduled → started is the
 * dispatch latency (server queueing + poll + the worker's slot) regardless of how long the activity ran.
 *
 * <p>Not dispatch, so left out and counted apart: an activity's later attempts (its started event is the last
 * attempt's, its scheduled event the first's: the gap holds failed attempts and backoff), and anything waiting
 * while no worker ran at all ({@code workerDown} windows, when the benchmark restarted the worker). A
 * materialization run with either is left out of the per-run figure for the same reason.
 */
public final class DispatchLatency {
  /** Latencies in milliseconds, collected over any number of histories. */
  private final List<Double> activity = new ArrayList<>();
  private final List<Double> workflowTask = new ArrayList<>();
  private final List<Double> perRun = new ArrayList<>();
  private final List<Double> runWall = new ArrayList<>();
  private final Map<String, List<Double>> byType = new TreeMap<>();
  private final Map<String, List<Double>> execByType = new TreeMap<>();
  private final List<long[]> workerDown;
  private int histories;
  private int retried;
  private int excluded;

  /** {@code workerDown}: [from, to] epoch-millisecond windows in which no worker polled. */
  public DispatchLatency(List<long[]> workerDown) {
    this.workerDown = List.copyOf(workerDown);
  }

  public DispatchLatency() {
    this(List.of());
  }

  private boolean duringWorkerDown(long from, long to) {
    return workerDown.stream().anyMatch(w -> from <= w[1] && to >= w[0]);
  }

  /**
   * Adds one history. {@code materialization} says whether it is a materialization run, for which the
   * orchestration time (wall time with no activity executing) is also recorded; only completed runs count.
   */
  public void add(History history, boolean materialization) {
    histories++;
    Map<Long, HistoryEvent> scheduled = new HashMap<>();
    Map<Long, HistoryEvent> wfScheduled = new HashMap<>();
    Map<Long, Long> activityStart = new LinkedHashMap<>();
    Map<Long, String> activityType = new HashMap<>();
    List<long[]> executing = new ArrayList<>();
    long first = -1;
    long completed = -1;
    boolean clean = true;
    for (HistoryEvent e : history.getEventsList()) {
      long t = millis(e.getEventTime());
      if (first < 0) {
        first = t;
      }
      EventType type = e.getEventType();
      switch (type) {
        case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> scheduled.put(e.getEventId(), e);
        case EVENT_TYPE_ACTIVITY_TASK_STARTED -> {
          long sid = e.getActivityTaskStartedEventAttributes().getScheduledEventId();
          HistoryEvent s = scheduled.get(sid);
          if (s != null) {
            String name = s.getActivityTaskScheduledEventAttributes().getActivityType().getName();
            activityStart.put(sid, t);
            activityType.put(sid, name);
            if (e.getActivityTaskStartedEventAttributes().getAttempt() > 1) {
              retried++;
              clean = false;
            } else if (duringWorkerDown(millis(s.getEventTime()), t)) {
              excluded++;
              clean = false;
            } else {
              double ms = nanosBetween(s.getEventTime(), e.getEventTime()) / 1e6;
              activity.add(ms);
              byType.computeIfAbsent(name, k -> new ArrayList<>()).add(ms);
            }
          }
        }
        case EVENT_TYPE_ACTIVITY_TASK_COMPLETED, EVENT_TYPE_ACTIVITY_TASK_FAILED, EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT,
            EVENT_TYPE_ACTIVITY_TASK_CANCELED -> {
          long sid = scheduledIdOfEnd(e);
          Long start = activityStart.get(sid);
          if (start != null) {
            executing.add(new long[] {start, t});
            execByType.computeIfAbsent(activityType.get(sid), k -> new ArrayList<>()).add((double) (t - start));
          }
        }
        case EVENT_TYPE_WORKFLOW_TASK_SCHEDULED -> wfScheduled.put(e.getEventId(), e);
        case EVENT_TYPE_WORKFLOW_TASK_STARTED -> {
          HistoryEvent s = wfScheduled.get(e.getWorkflowTaskStartedEventAttributes().getScheduledEventId());
          if (s != null && !duringWorkerDown(millis(s.getEventTime()), t)) {
            workflowTask.add(nanosBetween(s.getEventTime(), e.getEventTime()) / 1e6);
          } else if (s != null) {
            clean = false;
          }
        }
        case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> completed = t;
        default -> {
          // other events do not measure dispatch
        }
      }
    }
    if (materialization && completed >= 0 && first >= 0 && clean) {
      perRun.add((double) (completed - first - union(executing)));
      runWall.add((double) (completed - first));
    }
  }

  private static long scheduledIdOfEnd(HistoryEvent e) {
    return switch (e.getEventType()) {
      case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> e.getActivityTaskCompletedEventAttributes().getScheduledEventId();
      case EVENT_TYPE_ACTIVITY_TASK_FAILED -> e.getActivityTaskFailedEventAttributes().getScheduledEventId();
      case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT -> e.getActivityTaskTimedOutEventAttributes().getScheduledEventId();
      case EVENT_TYPE_ACTIVITY_TASK_CANCELED -> e.getActivityTaskCanceledEventAttributes().getScheduledEventId();
      default -> -1;
    };
  }

  /** Total length of the union of [start, end] intervals (parallel activities count once). */
  static long union(List<long[]> intervals) {
    List<long[]> sorted = new ArrayList<>(intervals);
    sorted.sort(Comparator.comparingLong(i -> i[0]));
    long total = 0;
    long curStart = Long.MIN_VALUE;
    long curEnd = Long.MIN_VALUE;
    for (long[] i : sorted) {
      if (i[0] > curEnd) {
        if (curEnd > curStart) {
          total += curEnd - curStart;
        }
        curStart = i[0];
        curEnd = i[1];
      } else {
        curEnd = Math.max(curEnd, i[1]);
      }
    }
    if (curEnd > curStart) {
      total += curEnd - curStart;
    }
    return total;
  }

  private static long millis(Timestamp t) {
    return t.getSeconds() * 1000 + t.getNanos() / 1_000_000;
  }

  private static long nanosBetween(Timestamp a, Timestamp b) {
    return (b.getSeconds() - a.getSeconds()) * 1_000_000_000L + (b.getNanos() - a.getNanos());
  }

  /** Activities (and workflow tasks) left out because they waited while no worker ran. */
  public int excluded() {
    return excluded;
  }

  /** Activities that needed more than one attempt. */
  public int retried() {
    return retried;
  }

  public int histories() {
    return histories;
  }

  public Summary activityMs() {
    return Stats.summarize(activity);
  }

  public Summary workflowTaskMs() {
    return Stats.summarize(workflowTask);
  }

  public Summary perMaterializationMs() {
    return Stats.summarize(perRun);
  }

  public Map<String, Summary> byActivityType() {
    return summarized(byType);
  }

  /** Wall time of each completed materialization run. */
  public Summary materializationWallMs() {
    return Stats.summarize(runWall);
  }

  /** How long activities ran (started → completed or failed), per activity type: where the time goes. */
  public Map<String, Summary> executionByActivityType() {
    return summarized(execByType);
  }

  private static Map<String, Summary> summarized(Map<String, List<Double>> samplesByType) {
    Map<String, Summary> m = new LinkedHashMap<>();
    samplesByType.forEach((k, v) -> m.put(k, Stats.summarize(v)));
    return m;
  }

  public Report.Dispatch report() {
    return new Report.Dispatch(histories, activityMs(), workflowTaskMs(), perMaterializationMs(),
        materializationWallMs(), byActivityType(), executionByActivityType(), retried, excluded, Report.Load.now());
  }
}
