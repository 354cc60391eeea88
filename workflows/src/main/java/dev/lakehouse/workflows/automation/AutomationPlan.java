package dev.lakehouse.workflows.automation;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.Schedules;
import dev.lakehouse.workflows.AssetChecksInput;
import dev.lakehouse.workflows.AssetChecksWorkflow;
import dev.lakehouse.workflows.HealthInput;
import dev.lakehouse.workflows.IngestionHealthWorkflow;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.MaintenanceInput;
import dev.lakehouse.workflows.MaintenanceOperation;
import dev.lakehouse.workflows.MaintenanceWorkflow;
import dev.lakehouse.workflows.MaterializeRequest;
import dev.lakehouse.workflows.ScheduledRunWorkflow;
import dev.lakehouse.workflows.Trigger;
import dev.lakehouse.workflows.assets.Selection;
import dev.lakehouse.workflows.assets.AssetGraph;
import dev.lakehouse.workflows.assets.AssetKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the spec wants to run, with no I/O: the seven Temporal Schedules of the pipeline (health check, six
 * maintenance jobs), the whole-table checks when the spec has a cron for them, one per user model with a cron of its
 * own, and one sensor per raw table. The catch-up windows say how late a missed action (server down at its time) still
 * starts: a health check is worth nothing a minute late, a nightly maintenance still is hours later.
 */
public final class AutomationPlan {
  public static final Duration HEALTH_CATCHUP = Duration.ofMinutes(1);
  public static final Duration MAINTENANCE_CATCHUP = Duration.ofHours(6);

  private AutomationPlan() {}

  /** A replication slot holding more WAL than this for the lakehouse is an ingestion incident. */
  public static final long MAX_SLOT_LAG_BYTES = 1L << 30;
  /** The shortest age of the last Flink checkpoint that the health check calls a problem. */
  public static final Duration MIN_CHECKPOINT_AGE = Duration.ofMinutes(1);

  /**
   * The input every health check gets: a Flink checkpoint older than six checkpoint intervals (at least
   * {@link #MIN_CHECKPOINT_AGE}: with a short interval, one slow checkpoint on a busy machine is not an incident),
   * or a slot lag over {@link #MAX_SLOT_LAG_BYTES}, is a problem; each model's max lag from
   * {@code lakehouse.freshness}.
   */
  public static HealthInput healthInput(PipelineSpec spec) {
    Map<String, Long> maxLag = new TreeMap<>();
    AssetGraph.fromSpec(spec).ofKind(AssetKind.MODEL)
        .forEach(m -> maxLag.put(m.key(), spec.freshness().maxLag(m.key()).toMillis()));
    long maxCheckpointAge = Math.max(spec.schedules().flinkCheckpointInterval().toMillis() * 6,
        MIN_CHECKPOINT_AGE.toMillis());
    return new HealthInput(maxCheckpointAge, MAX_SLOT_LAG_BYTES, maxLag);
  }

  /**
   * Input of a maintenance schedule over a group ({@code vault}, {@code raw_parsed}). Retentions travel as ISO-8601
   * durations ({@code PT168H}), the text of a {@link java.time.Duration}: the activity writes them in Trino's syntax.
   */
  public static MaintenanceInput maintenanceInput(String group, Schedules.MaintenanceSpec m) {
    return new MaintenanceInput(group, MaintenanceOperation.labels(MaintenanceOperation.OPTIMIZE,
        MaintenanceOperation.EXPIRE_SNAPSHOTS, MaintenanceOperation.REMOVE_ORPHAN_FILES),
        m.optimizeFileSizeThreshold(), m.expireSnapshotsOlderThan().toString(), m.removeOrphanFilesOlderThan().toString());
  }

  /** Input of the weekly schedule that drops the extended statistics of every table. */
  public static MaintenanceInput extendedStatsInput() {
    return new MaintenanceInput("all", MaintenanceOperation.labels(MaintenanceOperation.DROP_EXTENDED_STATS), null,
        null, null);
  }


  /**
   * Input of the frequent compaction: {@code optimize} only, at the raw-parsed threshold, of the tables whose writers
   * only append (group {@code appends}: the raw tables and the {@code ops} history, which grows by a small file per
   * model run and whose watermark reads open every file).
   */
  public static MaintenanceInput compactRawInput(Schedules.MaintenanceSpec rawParsed) {
    return new MaintenanceInput("appends", MaintenanceOperation.labels(MaintenanceOperation.OPTIMIZE),
        rawParsed.optimizeFileSizeThreshold(), null, null);
  }

  /** Input of the metadata cleanup of every table (a no-op on a table that has it). */
  public static MaintenanceInput metadataCleanupInput() {
    return new MaintenanceInput("all", MaintenanceOperation.labels(MaintenanceOperation.METADATA_CLEANUP), null, null,
        null);
  }

  /**
   * Input of the frequent snapshot expiry of every table model runs write (parsed, rejected, vault and state tables,
   * user models' tables, the ops history), older than the spec's {@code expire-model-snapshots-older-than}. Each run
   * commits to them, and every commit rewrites a {@code metadata.json} that lists every snapshot (0.8-2.4 KB each)
   * and that every query of the table reads whole: kept for the daily maintenance's week, at a commit per 10 s, it
   * grows to tens of MB and every query and commit of the table costs seconds more. The raw tables have their own
   * schedule, {@link #expireRawInput}.
   */
  public static MaintenanceInput expireModelsInput(PipelineSpec spec) {
    return frequentExpiry("models", spec);
  }

  /**
   * Input of the frequent snapshot expiry of the raw tables (group {@code raw}), at the models' retention: the Flink
   * sink commits to each once per checkpoint that carries data (every 10 s under steady changes). The activity never
   * expires the sink's last commit to a table nor anything newer, whatever the retention, since its restore walks
   * back to that commit; a job stopped for longer than the retention keeps its table's snapshots from that commit on.
   * A schedule of its own, not the models' group: a failure opens an incident of its own.
   */
  public static MaintenanceInput expireRawInput(PipelineSpec spec) {
    return frequentExpiry("raw", spec);
  }

  /** {@code expire_snapshots} of a table group at the spec's {@code expire-model-snapshots-older-than}. */
  private static MaintenanceInput frequentExpiry(String group, PipelineSpec spec) {
    return new MaintenanceInput(group, MaintenanceOperation.labels(MaintenanceOperation.EXPIRE_SNAPSHOTS), null,
        spec.schedules().maintenance().modelSnapshotRetention().toString(), null);
  }

  /**
   * Input of the whole-table checks: every model of the spec (in plan order, as {@code lakehouse checks --full}
   * without {@code --select} sends them), whole tables. A model added to the spec changes the input, so the next
   * reconcile ({@code lakehouse apply}, {@code automation start}, a worker's boot) updates the schedule.
   */
  public static AssetChecksInput checksFullInput(PipelineSpec spec) {
    return new AssetChecksInput(AssetGraph.fromSpec(spec).plan(Selection.orAllModels(null)).assetKeys(), true);
  }

  /**
   * The schedule of the whole-table checks, when the spec has {@code checks-full-cron}: the checks of a run read
   * what it wrote, which leaves out rows that went away (a parent a child's {@code relationships} check points to);
   * a whole-table pass now and then catches those (docs/models.md#checks). A missed night is still worth running
   * hours later, as a nightly maintenance is.
   */
  public static List<ScheduledJob> checksFullSchedule(PipelineSpec spec) {
    Schedules s = spec.schedules();
    if (!s.checksFullScheduled()) {
      return List.of();
    }
    return List.of(new ScheduledJob(Lakehouse.CHECKS_FULL_ID, AssetChecksWorkflow.class.getSimpleName(),
        checksFullInput(spec), s.checksFullCron(), MAINTENANCE_CATCHUP));
  }

  public static List<ScheduledJob> schedules(PipelineSpec spec) {
    List<ScheduledJob> jobs = new ArrayList<>(pipelineSchedules(spec));
    jobs.addAll(checksFullSchedule(spec));
    jobs.addAll(modelSchedules(spec));
    return List.copyOf(jobs);
  }

  /**
   * One schedule per user model with a cron of its own: each tick requests {@code eager:<model>}, the model and
   * what materializes eagerly below it, with trigger {@code schedule}. A missed tick is worth nothing once the next
   * is due, as for the health check.
   */
  public static List<ScheduledJob> modelSchedules(PipelineSpec spec) {
    return spec.userModels().stream().filter(m -> m.cron().isPresent())
        .map(m -> new ScheduledJob(Lakehouse.modelScheduleId(m.key()), ScheduledRunWorkflow.class.getSimpleName(),
            new MaterializeRequest(Selection.eager(m.key()), "schedule " + Lakehouse.modelScheduleId(m.key()),
                Trigger.SCHEDULE), m.cron().get(), HEALTH_CATCHUP))
        .toList();
  }

  private static List<ScheduledJob> pipelineSchedules(PipelineSpec spec) {
    Schedules s = spec.schedules();
    String maintenance = MaintenanceWorkflow.class.getSimpleName();
    return List.of(
        new ScheduledJob(Lakehouse.INGESTION_HEALTH_ID, IngestionHealthWorkflow.class.getSimpleName(),
            healthInput(spec), s.healthCron(), HEALTH_CATCHUP),
        new ScheduledJob(Lakehouse.MAINTENANCE_VAULT_ID, maintenance,
            maintenanceInput("vault", s.maintenance().vault()), s.maintenance().vault().cron(),
            MAINTENANCE_CATCHUP),
        new ScheduledJob(Lakehouse.MAINTENANCE_RAW_PARSED_ID, maintenance,
            maintenanceInput("raw_parsed", s.maintenance().rawParsed()),
            s.maintenance().rawParsed().cron(), MAINTENANCE_CATCHUP),
        new ScheduledJob(Lakehouse.MAINTENANCE_EXTENDED_STATS_ID, maintenance, extendedStatsInput(),
            s.maintenance().dropExtendedStatsCron(), MAINTENANCE_CATCHUP),
        // a missed compaction is worth nothing once the next one is due
        new ScheduledJob(Lakehouse.MAINTENANCE_COMPACT_RAW_ID, maintenance,
            compactRawInput(s.maintenance().rawParsed()), s.maintenance().compactRawCron(), HEALTH_CATCHUP),
        // at the compaction's cadence, so a table a model run just created is bounded within minutes
        new ScheduledJob(Lakehouse.MAINTENANCE_METADATA_ID, maintenance, metadataCleanupInput(),
            s.maintenance().compactRawCron(), HEALTH_CATCHUP),
        new ScheduledJob(Lakehouse.MAINTENANCE_EXPIRE_MODELS_ID, maintenance, expireModelsInput(spec),
            s.maintenance().compactRawCron(), HEALTH_CATCHUP),
        new ScheduledJob(Lakehouse.MAINTENANCE_EXPIRE_RAW_ID, maintenance, expireRawInput(spec),
            s.maintenance().compactRawCron(), HEALTH_CATCHUP));
  }

  public static List<SensorTarget> sensors(PipelineSpec spec) {
    long interval = spec.schedules().sensorInterval().toMillis();
    return AssetGraph.fromSpec(spec).ofKind(AssetKind.RAW_TABLE).stream()
        .map(raw -> new SensorTarget(Lakehouse.sensorId(raw.key()), raw.key(), interval, true)).toList();
  }
}
