package dev.lakehouse.workflows.automation;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.workflows.Automation;
import dev.lakehouse.workflows.IncidentsInput;
import dev.lakehouse.workflows.IncidentsWorkflow;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.SensorInput;
import dev.lakehouse.workflows.SensorWorkflow;
import dev.lakehouse.workflows.automation.Change.Action;
import dev.lakehouse.workflows.automation.Change.Target;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.api.filter.v1.StartTimeFilter;
import io.temporal.api.filter.v1.WorkflowTypeFilter;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsResponse;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.client.schedules.ScheduleUpdate;
import io.temporal.common.converter.EncodedValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Client-side (never from a workflow): observes the lakehouse's Temporal Schedules and sensors, applies what
 * {@link Reconciler} decides, stops the automation, and pauses, unpauses or triggers one schedule.
 */
public final class ScheduleAutomation {
  /** Memo keys on each schedule's action: the spec's cron text, and that the lakehouse made it. */
  static final String MEMO_CRON = "lakehouse-cron";
  static final String MEMO_MANAGED = "lakehouse-managed";

  private final WorkflowClient client;
  private final PipelineSpec spec;
  private final ScheduleClient schedules;

  public ScheduleAutomation(WorkflowClient client, PipelineSpec spec) {
    this.client = client;
    this.spec = spec;
    this.schedules = ScheduleClient.newInstance(client.getWorkflowServiceStubs(), ScheduleClientOptions.newBuilder()
        .setNamespace(client.getOptions().getNamespace()).build());
  }

  /** Every schedule of the namespace as the server describes it, by ID. */
  public Map<String, ObservedSchedule> observeSchedules() {
    Map<String, ObservedSchedule> observed = new LinkedHashMap<>();
    Map<String, Class<?>> inputTypes = new LinkedHashMap<>();
    AutomationPlan.schedules(spec).forEach(j -> inputTypes.put(j.id(), j.input().getClass()));
    schedules.listSchedules().forEach(s -> {
      ScheduleDescription d = schedules.getHandle(s.getScheduleId()).describe();
      observed.put(d.getId(), observe(d, inputTypes.get(d.getId())));
    });
    return observed;
  }

  private static ObservedSchedule observe(ScheduleDescription d, Class<?> inputType) {
    Schedule s = d.getSchedule();
    String cron = null;
    boolean managed = false;
    Object input = null;
    if (s.getAction() instanceof ScheduleActionStartWorkflow start) {
      Map<String, Object> memo = start.getOptions() == null ? null : start.getOptions().getMemo();
      if (memo != null) {
        cron = memoString(memo.get(MEMO_CRON));
        managed = "true".equals(memoString(memo.get(MEMO_MANAGED)));
      }
      if (inputType != null) {
        try {
          input = start.getArguments().get(0, inputType);
        } catch (RuntimeException e) {
          input = null; // not our input type: reconciling updates it
        }
      }
    }
    ScheduleState state = s.getState();
    return new ObservedSchedule(d.getId(), cron, input, state != null && state.isPaused(),
        state == null ? null : state.getNote(), managed);
  }

  private static String memoString(Object value) {
    if (value instanceof EncodedValues v) {
      return String.valueOf(v.get(0, Object.class));
    }
    return value == null ? null : String.valueOf(value);
  }

  /**
   * The sensors that run, with the interval of their cursor (0 when the query found no worker): the spec's, and
   * any other open {@code SensorWorkflow} (a table that left the spec; its interval is not asked).
   */
  public Map<String, SensorTarget> observeSensors() {
    Map<String, SensorTarget> running = new LinkedHashMap<>();
    List<String> wanted = AutomationPlan.sensors(spec).stream().map(SensorTarget::id).toList();
    openSensors().stream().filter(id -> !wanted.contains(id)).forEach(id -> running.put(id, new SensorTarget(id,
        id.substring(Lakehouse.sensorId("").length()), 0, true)));
    for (SensorTarget want : AutomationPlan.sensors(spec)) {
      if (!isRunning(want.id())) {
        continue;
      }
      long interval;
      try {
        SensorInput cursor = client.newWorkflowStub(SensorWorkflow.class, want.id()).cursor();
        interval = cursor == null ? 0 : cursor.intervalMillis();
      } catch (RuntimeException e) {
        interval = 0;
      }
      running.put(want.id(), new SensorTarget(want.id(), want.table(), interval, true));
    }
    return running;
  }

  /**
   * The IDs of the open sensor workflows of the namespace (the list API every server and the test server answer;
   * the time filter is required by some).
   */
  private List<String> openSensors() {
    List<String> ids = new ArrayList<>();
    ByteString page = ByteString.EMPTY;
    do {
      ListOpenWorkflowExecutionsResponse r = client.getWorkflowServiceStubs().blockingStub()
          .listOpenWorkflowExecutions(ListOpenWorkflowExecutionsRequest.newBuilder()
              .setNamespace(client.getOptions().getNamespace())
              .setStartTimeFilter(StartTimeFilter.newBuilder().setEarliestTime(Timestamp.getDefaultInstance())
                  .setLatestTime(Timestamp.newBuilder().setSeconds(253_402_300_799L))) // 9999-12-31
              .setTypeFilter(WorkflowTypeFilter.newBuilder().setName(SensorWorkflow.class.getSimpleName()))
              .setMaximumPageSize(1000)
              .setNextPageToken(page)
              .build());
      r.getExecutionsList().forEach(e -> ids.add(e.getExecution().getWorkflowId()));
      page = r.getNextPageToken();
    } while (!page.isEmpty());
    return ids.stream().filter(id -> id.startsWith(Lakehouse.sensorId(""))).distinct().toList();
  }

  /**
   * What {@link #apply()} would do, changing nothing: a running workflow under a schedule's ID (a cron workflow of
   * an older lakehouse), then schedules, then sensors.
   */
  public List<Change> plan() {
    List<Change> changes = planSchedules();
    changes.addAll(planSensors());
    return changes;
  }

  /** The sensors' part of {@link #plan()}. */
  public List<Change> planSensors() {
    return Reconciler.sensors(AutomationPlan.sensors(spec), observeSensors());
  }

  /** The schedules' part of {@link #plan()} (a server without Schedules answers UNIMPLEMENTED). */
  public List<Change> planSchedules() {
    List<Change> changes = new ArrayList<>();
    for (ScheduledJob job : AutomationPlan.schedules(spec)) {
      if (isRunning(job.id())) {
        changes.add(new Change(Target.WORKFLOW, job.id(), Action.REPLACE_LEGACY,
            "legacy cron workflow terminated, replaced by the schedule"));
      }
    }
    changes.addAll(Reconciler.schedules(AutomationPlan.schedules(spec), observeSchedules()));
    return changes;
  }

  /**
   * {@code lakehouse automation start} and the worker's boot: starts the coordinator unless it runs, then the
   * sensors, then the schedules (so a server without schedules still gets its sensors). Returns one change per
   * workflow, sensor and schedule, unchanged ones included, each also to {@code report} once applied (a failure
   * half-way leaves the earlier ones reported).
   */
  public List<Change> start(Consumer<Change> report) {
    List<Change> changes = new ArrayList<>();
    changes.add(Automation.ensureMaterializer(client, spec)
        ? new Change(Target.WORKFLOW, Lakehouse.MATERIALIZER_ID, Action.CREATE, "started")
        : new Change(Target.WORKFLOW, Lakehouse.MATERIALIZER_ID, Action.UNCHANGED, "running"));
    report.accept(changes.get(0));
    Change incidents = ensureIncidents();
    report.accept(incidents);
    changes.add(incidents);
    applySensors().forEach(c -> {
      report.accept(c);
      changes.add(c);
    });
    applySchedules().forEach(c -> {
      report.accept(c);
      changes.add(c);
    });
    return changes;
  }

  /** Starts {@code incidents} unless it runs (with no open incidents: the next reports open what is wrong). */
  private Change ensureIncidents() {
    try {
      WorkflowClient.start(client.newWorkflowStub(IncidentsWorkflow.class,
          Automation.options(spec, Lakehouse.INCIDENTS_ID))::run, IncidentsInput.initial());
      return new Change(Target.WORKFLOW, Lakehouse.INCIDENTS_ID, Action.CREATE, "started");
    } catch (io.temporal.client.WorkflowExecutionAlreadyStarted e) {
      return new Change(Target.WORKFLOW, Lakehouse.INCIDENTS_ID, Action.UNCHANGED, "running");
    }
  }

  /** Plans and applies the schedules and sensors; returns the changes (unchanged ones included) in order. */
  public List<Change> apply() {
    List<Change> changes = applySchedules();
    changes.addAll(applySensors());
    return changes;
  }

  /** Plans and applies the sensors; returns the changes (unchanged ones included). */
  public List<Change> applySensors() {
    Map<String, SensorTarget> sensors = new LinkedHashMap<>();
    AutomationPlan.sensors(spec).forEach(s -> sensors.put(s.id(), s));
    List<Change> changes = Reconciler.sensors(AutomationPlan.sensors(spec), observeSensors());
    changes.forEach(c -> applySensor(c, sensors.get(c.id())));
    return changes;
  }

  /** Plans and applies the schedules; returns the changes (unchanged ones included). */
  public List<Change> applySchedules() {
    Map<String, ScheduledJob> jobs = new LinkedHashMap<>();
    AutomationPlan.schedules(spec).forEach(j -> jobs.put(j.id(), j));
    List<Change> changes = planSchedules();
    for (Change c : changes) {
      if (c.action() == Action.REPLACE_LEGACY) {
        terminate(c.id(), "replaced by the Temporal Schedule " + c.id());
      } else {
        applySchedule(c, jobs.get(c.id()));
      }
    }
    return changes;
  }

  private void applySchedule(Change c, ScheduledJob job) {
    ScheduleHandle handle = schedules.getHandle(c.id());
    switch (c.action()) {
      case CREATE -> schedules.createSchedule(job.id(), schedule(job, ScheduleState.newBuilder().build()),
          ScheduleOptions.newBuilder().build());
      case UPDATE -> handle.update(in -> new ScheduleUpdate(schedule(job, in.getDescription().getSchedule()
          .getState())));
      case UNPAUSE -> handle.unpause("unpaused by lakehouse automation start");
      case DELETE -> handle.delete();
      case UNCHANGED, REPLACE_LEGACY -> { }
      default -> throw new IllegalStateException("unexpected " + c);
    }
  }

  private void applySensor(Change c, SensorTarget want) {
    switch (c.action()) {
      case CREATE -> {
        try {
          WorkflowClient.start(client.newWorkflowStub(SensorWorkflow.class, Automation.options(spec, want.id()))::run,
              new SensorInput(want.table(), want.intervalMillis(), spec.schedules().sensorIterationsPerRun(), null, 0));
        } catch (io.temporal.client.WorkflowExecutionAlreadyStarted e) {
          // started meanwhile (a worker booting at the same time): its interval is reconciled next time
        }
      }
      case UPDATE -> client.newWorkflowStub(SensorWorkflow.class, want.id()).setInterval(want.intervalMillis());
      case DELETE -> {
        if (isRunning(c.id())) {
          terminate(c.id(), "its raw table is not in the spec");
        }
      }
      case UNCHANGED -> { }
      default -> throw new IllegalStateException("unexpected " + c);
    }
  }

  Schedule schedule(ScheduledJob job, ScheduleState state) {
    return Schedule.newBuilder()
        .setAction(ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(job.workflowType())
            .setArguments(job.input())
            .setOptions(WorkflowOptions.newBuilder()
                .setWorkflowId(job.id())
                .setTaskQueue(spec.endpoints().temporal().taskQueue())
                .setMemo(Map.of(MEMO_CRON, job.cron(), MEMO_MANAGED, "true"))
                .build())
            .build())
        .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of(job.cron())).build())
        .setPolicy(SchedulePolicy.newBuilder()
            .setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP)
            .setCatchupWindow(job.catchupWindow())
            .build())
        .setState(state)
        .build();
  }

  /**
   * {@code lakehouse automation stop}: terminates every automation workflow that produces work (sensors,
   * coordinator, ingestion setup) and pauses every schedule of the spec with {@link Reconciler#STOP_NOTE}. The
   * {@code incidents} workflow keeps running: it only holds the open incidents, so an incident open before the stop
   * is alerted once, not again after the next start, and its resolution after the start is alerted. Tables, schedules
   * and histories stay. A run a schedule started finishes. Returns one change per workflow or schedule touched.
   */
  public List<Change> stop() {
    List<Change> changes = new ArrayList<>();
    List<String> ids = new ArrayList<>(List.of(Lakehouse.INGESTION_SETUP_ID, Lakehouse.MATERIALIZER_ID));
    AutomationPlan.sensors(spec).forEach(s -> ids.add(s.id()));
    openSensors().stream().filter(id -> !ids.contains(id)).forEach(ids::add);
    AutomationPlan.schedules(spec).forEach(s -> ids.add(s.id())); // a legacy cron workflow, if any
    for (String id : ids) {
      if (isRunning(id)) {
        terminate(id, "lakehouse automation stop");
        changes.add(new Change(Target.WORKFLOW, id, Action.DELETE, "terminated"));
      }
    }
    Map<String, ObservedSchedule> observed = observeSchedules();
    for (ScheduledJob job : AutomationPlan.schedules(spec)) {
      ObservedSchedule o = observed.get(job.id());
      if (o != null && !o.paused()) {
        schedules.getHandle(job.id()).pause(Reconciler.STOP_NOTE);
        changes.add(new Change(Target.SCHEDULE, job.id(), Action.UPDATE, "paused"));
      }
    }
    return changes;
  }

  public ScheduleHandle handle(String scheduleId) {
    return schedules.getHandle(scheduleId);
  }

  public ScheduleClient scheduleClient() {
    return schedules;
  }

  private boolean isRunning(String workflowId) {
    try {
      return client.newUntypedWorkflowStub(workflowId).describe().getStatus()
          == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    } catch (WorkflowNotFoundException e) {
      return false;
    }
  }

  private void terminate(String workflowId, String reason) {
    client.newUntypedWorkflowStub(workflowId).terminate(reason);
  }
}
