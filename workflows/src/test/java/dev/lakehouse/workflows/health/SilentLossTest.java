package dev.lakehouse.workflows.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.workflows.activities.ModelWatermark;
import dev.lakehouse.workflows.activities.PartitionWatch;
import dev.lakehouse.workflows.activities.SlotLag;
import java.util.List;
import org.junit.jupiter.api.Test;

class SilentLossTest {
  private static final String TOPIC = "bank.public.users";
  private static final SlotLag SLOT = new SlotLag("bank_slot", true, 0, true, "reserved");

  private static PartitionWatch watch(String id, long earliest, long end, Long committed, long readTo) {
    return new PartitionWatch(TOPIC, 0, id, earliest, end, committed, readTo, 3L, null, 0);
  }

  private static List<String> messages(List<SilentLoss.Problem> problems) {
    return problems.stream().map(SilentLoss.Problem::message).toList();
  }

  @Test
  void aHealthyTopicAndSlotAreNoProblem() {
    PartitionWatch before = watch("a", 0, 100, 90L, 100);
    assertThat(SilentLoss.judge(List.of(watch("a", 40, 120, 120L, 120)), List.of(before), SLOT)).isEmpty();
    assertThat(SilentLoss.judge(List.of(before), List.of(), SLOT)).isEmpty();
  }

  @Test
  void retentionThatDeletedUncommittedRecordsIsOneLineWithTheLostRange() {
    List<SilentLoss.Problem> p = SilentLoss.judge(List.of(watch("a", 350, 400, 120L, 400)), List.of(), SLOT);
    assertThat(p).extracting(SilentLoss.Problem::subject).containsExactly(SilentLoss.Subject.KAFKA);
    assertThat(messages(p)).containsExactly("kafka retention outran the ingest job on bank.public.users-0: offsets 120"
        + " to 349 were deleted before the job committed them, so those 230 changes never reach raw_data; raise the"
        + " topic's retention.ms above the longest ingest outage and re-snapshot the table (" + SilentLoss.DOC + ")");
  }

  @Test
  void aRecreatedTopicIsSeenByItsIdByOffsetsGoingBackAndByACommittedOffsetPastTheEnd() {
    PartitionWatch before = watch("a", 0, 420, 420L, 420);
    assertThat(messages(SilentLoss.judge(List.of(watch("b", 0, 500, 420L, 500)), List.of(before), SLOT)))
        .singleElement().asString().startsWith("topic bank.public.users was deleted and recreated (its id changed"
            + " from a to b)");
    assertThat(messages(SilentLoss.judge(List.of(watch("a", 0, 3, null, 3)), List.of(before), SLOT)))
        .singleElement().asString().contains("(offsets went back: read up to 420, it now ends at 3)");
    assertThat(messages(SilentLoss.judge(List.of(watch("b", 0, 3, 420L, 3)), List.of(), SLOT)))
        .singleElement().asString().contains("(offsets went back: the ingest job committed 420, it now ends at 3)")
        .contains("lakehouse pause");
    assertThat(messages(SilentLoss.judge(List.of(), List.of(before), SLOT))).singleElement().asString()
        .startsWith("topic bank.public.users was deleted (it existed at the last check)");
    assertThat(SilentLoss.cursor(List.of(), List.of(before))).as("kept while the topic is gone").containsExactly(before);
  }

  @Test
  void snapshotRecordsAfterStreamedChangesAreAReSnapshot() {
    PartitionWatch again = new PartitionWatch(TOPIC, 0, "a", 0, 80, 80L, 80, 3L, 60L, 20);
    assertThat(messages(SilentLoss.judge(List.of(again), List.of(), SLOT))).singleElement().asString()
        .startsWith("Debezium snapshotted bank.public.users again: 20 snapshot records (op r) from offset 60 of"
            + " bank.public.users-0 after streamed changes");
  }

  @Test
  void aDroppedSlotIsAProblemOnceDebeziumHasStreamedAndAnInvalidatedOneAlways() {
    SlotLag missing = new SlotLag("bank_slot", false, -1, false, null);
    assertThat(SilentLoss.judge(List.of(watch("a", 0, 0, null, 0)), List.of(), missing))
        .as("before the connector's first change the slot is not created yet").isEmpty();
    assertThat(SilentLoss.judge(List.of(watch("a", 0, 5, 5L, 5)), List.of(), missing))
        .extracting(SilentLoss.Problem::subject).containsExactly(SilentLoss.Subject.SLOT);
    assertThat(messages(SilentLoss.judge(List.of(), List.of(), new SlotLag("bank_slot", false, 9, true, "lost"))))
        .singleElement().asString().startsWith("replication slot bank_slot was invalidated (wal_status lost)");
    assertThat(SilentLoss.judge(List.of(watch("a", 0, 5, 5L, 5)), List.of(), new SlotLag("bank_slot", false, -1)))
        .as("a report from before the slot's existence was read").isEmpty();
  }

  @Test
  void aTruncateAndADroppedSpecColumnAreOneLineEach() {
    PartitionWatch w = new PartitionWatch(TOPIC, 0, "a", 0, 80, 80L, 80, 3L, null, 0, List.of("email", "id", "name"),
        70L, 1, List.of("name"), 75L);
    assertThat(messages(SilentLoss.judge(List.of(w), List.of(), SLOT))).containsExactly(
        "TRUNCATE of the table of bank.public.users at offset 70 of bank.public.users-0 (1): a truncate carries no"
            + " rows, so the parse model quarantines it in the rejected table and the vault keeps every truncated row"
            + " current; delete the rows in the source if they were meant to go (each delete reaches the vault), or"
            + " write them again (" + SilentLoss.DOC + ")",
        "column name of the table of bank.public.users is missing from its change events since offset 75 of"
            + " bank.public.users-0 (dropped from the source?): the parse model would store NULL and the satellites"
            + " record it as a change; restore the column in the source, or take it out of the spec ("
            + SilentLoss.DOC + ")");
  }

  @Test
  void aTopicEndingBelowAModelsWatermarkIsRecreatedWithoutAnyCursor() {
    List<ModelWatermark> read = List.of(new ModelWatermark("parsed_data.parsed_users", TOPIC, 0, 349),
        new ModelWatermark("data_vault.s_users", TOPIC, 0, 120));
    PartitionWatch recreated = watch("b", 0, 12, 12L, 12);
    List<SilentLoss.Problem> p = SilentLoss.judge(List.of(recreated), List.of(), SLOT, read);
    assertThat(p).extracting(SilentLoss.Problem::subject).containsExactly(SilentLoss.Subject.KAFKA);
    assertThat(messages(p)).containsExactly("topic bank.public.users was deleted and recreated"
        + " (parsed_data.parsed_users has read bank.public.users-0 up to offset 349, it now ends at 12): the models'"
        + " offset watermarks skip its new records below the old offsets; pause the models (lakehouse pause) and"
        + " follow " + SilentLoss.RECREATED);
    assertThat(messages(SilentLoss.judge(List.of(watch("b", 0, 349, 349L, 349)), List.of(recreated), SLOT, read)))
        .as("repeated at every check while the end is not past the watermark").singleElement().asString()
        .contains("up to offset 349, it now ends at 349");
    assertThat(SilentLoss.judge(List.of(watch("b", 0, 350, 350L, 350)), List.of(), SLOT, read))
        .as("past it: only the cursor can tell (its id)").isEmpty();
  }

  @Test
  void modelsCaughtUpARestartAndRetentionAreNoRecreation() {
    List<ModelWatermark> read = List.of(new ModelWatermark("parsed_data.parsed_users", TOPIC, 0, 99),
        new ModelWatermark("parsed_data.parsed_users", TOPIC, 1, -1));
    PartitionWatch caughtUp = watch("a", 0, 100, 100L, 100);
    assertThat(SilentLoss.judge(List.of(caughtUp), List.of(), SLOT, read)).as("models at the end").isEmpty();
    assertThat(SilentLoss.judge(List.of(watch("a", 0, 130, 100L, 130)), List.of(caughtUp), SLOT, read))
        .as("a restart: the same id, the end only grows").isEmpty();
    assertThat(SilentLoss.judge(List.of(watch("a", 100, 100, 100L, 100)), List.of(caughtUp), SLOT, read))
        .as("retention deleted every read segment: the earliest moves, the end does not").isEmpty();
    PartitionWatch empty = new PartitionWatch(TOPIC, 1, "a", 0, 0, null, 0, null, null, 0);
    assertThat(SilentLoss.judge(List.of(empty), List.of(), SLOT, read)).as("a partition never read: -1").isEmpty();
    assertThat(SilentLoss.judge(List.of(caughtUp), List.of(), SLOT,
        List.of(new ModelWatermark("parsed_data.parsed_accounts", "bank.public.accounts", 0, 500))))
        .as("another topic's watermark").isEmpty();
  }

  @Test
  void everyReasonAndPartitionOfOneRecreatedTopicIsOneLine() {
    PartitionWatch p0 = watch("a", 0, 420, 420L, 420);
    PartitionWatch p1 = new PartitionWatch(TOPIC, 1, "a", 0, 80, 80L, 80, 3L, null, 0);
    List<PartitionWatch> now = List.of(watch("b", 0, 5, null, 5),
        new PartitionWatch(TOPIC, 1, "b", 0, 2, null, 2, null, null, 0));
    List<ModelWatermark> read = List.of(new ModelWatermark("parsed_data.parsed_users", TOPIC, 0, 419),
        new ModelWatermark("parsed_data.parsed_users", TOPIC, 1, 79));
    assertThat(messages(SilentLoss.judge(now, List.of(p0, p1), SLOT, read))).singleElement().asString()
        .startsWith("topic bank.public.users was deleted and recreated (its id changed from a to b; offsets went back:"
            + " read up to 420, it now ends at 5; parsed_data.parsed_users has read bank.public.users-0 up to offset"
            + " 419, it now ends at 5; offsets went back: read up to 80, it now ends at 2; parsed_data.parsed_users"
            + " has read bank.public.users-1 up to offset 79, it now ends at 2): ");
  }
}
