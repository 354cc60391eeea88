package dev.lakehouse.workflows.health;

import dev.lakehouse.workflows.activities.ModelWatermark;
import dev.lakehouse.workflows.activities.PartitionWatch;
import dev.lakehouse.workflows.activities.SlotLag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The silent-loss detectors of the health check (pure): conditions under which changes are lost or read twice
 * without any service failing, each one problem line that says what happened and what to do. Kafka retention that
 * outran the ingest job; a CDC topic deleted or recreated (its offsets went back against the last check, the ingest
 * job's committed offsets or the models' watermarks, so the models skip its new records); the replication slot
 * dropped or invalidated; Debezium snapshotting a table again after it streamed changes; and two schema changes of a
 * source table: a TRUNCATE, a spec column dropped. See docs/silent-loss.md.
 */
public final class SilentLoss {
  static final String DOC = "docs/silent-loss.md";
  static final String RECREATED = DOC + "#a-recreated-topic";

  /** What a problem concerns, for the incidents: a CDC topic or the replication slot. */
  public enum Subject { KAFKA, SLOT }

  /** One detected condition. */
  public record Problem(Subject subject, String message) {}

  private SilentLoss() {}

  /**
   * Judges this check's watch of the CDC partitions ({@code now}) against the last check's ({@code previous}, empty
   * when there was none) and the replication slot ({@code slot}, null when unreadable).
   */
  public static List<Problem> judge(List<PartitionWatch> now, List<PartitionWatch> previous, SlotLag slot) {
    return judge(now, previous, slot, List.of());
  }

  /**
   * {@link #judge(List, List, SlotLag)}, and each partition's end offset against the models' {@code watermarks}: a
   * model that has read an offset the partition no longer reaches read another topic under the same name. Unlike the
   * cursor, the watermarks survive a lost cursor (the first check after the schedule was created again), and the
   * line repeats at every check until the models are recovered or the new topic's offsets pass the old ones.
   */
  public static List<Problem> judge(List<PartitionWatch> now, List<PartitionWatch> previous, SlotLag slot,
      List<ModelWatermark> watermarks) {
    List<Problem> out = new ArrayList<>();
    Map<String, PartitionWatch> before = new HashMap<>();
    previous.forEach(w -> before.put(w.key(), w));
    Map<String, ModelWatermark> highest = new HashMap<>();
    watermarks.forEach(m -> highest.merge(m.key(), m, (a, b) -> b.offset() > a.offset() ? b : a));
    Map<String, Set<String>> wentBack = new LinkedHashMap<>();
    for (PartitionWatch w : now) {
      PartitionWatch last = before.get(w.key());
      if (w.committed() != null && w.committed() < w.earliest()) {
        out.add(new Problem(Subject.KAFKA, "kafka retention outran the ingest job on " + w.key() + ": offsets "
            + w.committed() + " to " + (w.earliest() - 1) + " were deleted before the job committed them, so those "
            + (w.earliest() - w.committed()) + " changes never reach raw_data; raise the topic's retention.ms above the"
            + " longest ingest outage and re-snapshot the table (" + DOC + ")"));
      }
      for (String why : recreated(w, last, highest.get(w.key()))) {
        wentBack.computeIfAbsent(w.topic(), t -> new LinkedHashSet<>()).add(why);
      }
      if (w.resnapshotFrom() != null) {
        out.add(new Problem(Subject.KAFKA, "Debezium snapshotted " + w.topic() + " again: " + w.resnapshotRecords()
            + " snapshot records (op r) from offset " + w.resnapshotFrom() + " of " + w.key() + " after streamed"
            + " changes; the connector lost its offsets (or was renamed), so changes committed while it was not"
            + " streaming may be missing, deletes included; compare the source's keys with the vault's current"
            + " view (" + DOC + ")"));
      }
      if (w.truncatedAt() != null) {
        out.add(new Problem(Subject.KAFKA, "TRUNCATE of the table of " + w.topic() + " at offset " + w.truncatedAt()
            + " of " + w.key() + " (" + w.truncates() + "): a truncate carries no rows, so the parse model quarantines"
            + " it in the rejected table and the vault keeps every truncated row current; delete the rows in the"
            + " source if they were meant to go (each delete reaches the vault), or write them again (" + DOC + ")"));
      }
      if (w.droppedColumns() != null && !w.droppedColumns().isEmpty()) {
        out.add(new Problem(Subject.KAFKA, "column " + String.join(", ", w.droppedColumns()) + " of the table of "
            + w.topic() + " is missing from its change events since offset " + w.droppedSince() + " of " + w.key()
            + " (dropped from the source?): the parse model would store NULL and the satellites record it as a"
            + " change; restore the column in the source, or take it out of the spec (" + DOC + ")"));
      }
    }
    wentBack.forEach((topic, why) -> out.add(new Problem(Subject.KAFKA, "topic " + topic + " was deleted and"
        + " recreated (" + String.join("; ", why) + "): the models' offset watermarks skip its new records below the"
        + " old offsets; pause the models (lakehouse pause) and follow " + RECREATED)));
    Map<String, PartitionWatch> seen = new HashMap<>();
    now.forEach(w -> seen.put(w.key(), w));
    previous.stream().filter(w -> !seen.containsKey(w.key())).map(PartitionWatch::topic).distinct()
        .forEach(topic -> out.add(new Problem(Subject.KAFKA, "topic " + topic + " was deleted (it existed at the last"
            + " check): Debezium recreates it with offsets from 0, which the models' offset watermarks skip below the"
            + " old offsets; pause the models (lakehouse pause) and follow " + RECREATED)));
    if (slot != null && Boolean.FALSE.equals(slot.exists()) && now.stream().anyMatch(w -> w.end() > 0)) {
      out.add(new Problem(Subject.SLOT, "replication slot " + slot.slot() + " does not exist although Debezium has"
          + " streamed changes: it was dropped, and the connector creates a new one at the current WAL position when"
          + " it starts, losing every change committed in between; re-snapshot the tables (" + DOC + ")"));
    }
    if (slot != null && "lost".equals(slot.walStatus())) {
      out.add(new Problem(Subject.SLOT, "replication slot " + slot.slot() + " was invalidated (wal_status lost):"
          + " PostgreSQL removed WAL it still needed (max_slot_wal_keep_size), those changes are lost and Debezium"
          + " cannot stream from it; drop the slot, restart the connector and re-snapshot the tables (" + DOC + ")"));
    }
    return out;
  }

  /**
   * The cursor the next check starts from: this check's watch, plus the last check's entries of partitions that are
   * gone (a deleted topic stays reported while it is missing, and its recreation is seen by its new id).
   */
  public static List<PartitionWatch> cursor(List<PartitionWatch> now, List<PartitionWatch> previous) {
    List<PartitionWatch> out = new ArrayList<>(now);
    List<String> keys = now.stream().map(PartitionWatch::key).toList();
    previous.stream().filter(w -> !keys.contains(w.key())).forEach(out::add);
    return out;
  }

  /**
   * Why the partition's offsets went back (a new topic id, an end below what the last check read, the ingest job
   * committed or a model read), or nothing. A normal restart never lowers an end offset, and retention raises only
   * the earliest one.
   */
  private static List<String> recreated(PartitionWatch w, PartitionWatch last, ModelWatermark model) {
    List<String> why = new ArrayList<>();
    if (last != null && last.topicId() != null && !last.topicId().equals(w.topicId())) {
      why.add("its id changed from " + last.topicId() + " to " + w.topicId());
    }
    if (last != null && last.readTo() > w.end()) {
      why.add("offsets went back: read up to " + last.readTo() + ", it now ends at " + w.end());
    } else if (w.committed() != null && w.committed() > w.end()) {
      why.add("offsets went back: the ingest job committed " + w.committed() + ", it now ends at " + w.end());
    }
    if (model != null && model.offset() >= w.end()) {
      why.add(model.asset() + " has read " + w.key() + " up to offset " + model.offset() + ", it now ends at "
          + w.end());
    }
    return why;
  }
}
