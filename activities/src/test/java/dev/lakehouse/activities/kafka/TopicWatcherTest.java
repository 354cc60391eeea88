package dev.lakehouse.activities.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.workflows.activities.PartitionWatch;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class TopicWatcherTest {
  private static final TopicPartition TP = new TopicPartition("bank.public.users", 0);
  private static final List<String> COLUMNS = List.of("id", "email", "name");
  private static final List<String> KEY = List.of("id");

  private static String op(String json) {
    return TopicWatcher.opOf(json == null ? null : json.getBytes(UTF_8));
  }

  @Test
  void theOpIsTheEnvelopesOwnNotAColumnNamedOp() {
    assertThat(op("{\"before\":null,\"after\":{\"id\":1,\"op\":\"d\"},\"source\":{\"snapshot\":\"true\"},\"op\":\"r\"}"))
        .isEqualTo("r");
    assertThat(op("{\"schema\":{\"type\":\"struct\"},\"payload\":{\"after\":{\"op\":\"x\"},\"op\":\"u\"}}"))
        .isEqualTo("u");
    assertThat(op("{\"after\":{\"id\":1}")).as("truncated").isNull();
    assertThat(op("not json")).isNull();
    assertThat(op(null)).as("a tombstone").isNull();
  }

  @Test
  void theCursorContinuesOnTheSameTopicAndRestartsOnARecreatedOne() {
    PartitionWatch last = new PartitionWatch(TP.topic(), 0, "id-1", 0, 50, 50L, 50, 4L, null, 0);
    TopicWatcher.Start same = TopicWatcher.start(TP, "id-1", 10, 80, 60L, COLUMNS, KEY, last);
    assertThat(same.readFrom()).isEqualTo(50);
    assertThat(same.firstStreamed()).isEqualTo(4L);
    assertThat(TopicWatcher.start(TP, "id-1", 70, 80, 60L, COLUMNS, KEY, last).readFrom()).as("deleted by retention").isEqualTo(70);
    TopicWatcher.Start recreated = TopicWatcher.start(TP, "id-2", 0, 3, null, COLUMNS, KEY, last);
    assertThat(recreated.readFrom()).isZero();
    assertThat(recreated.firstStreamed()).isNull();
    assertThat(TopicWatcher.start(TP, "id-1", 0, 3, null, COLUMNS, KEY, last).readFrom()).as("offsets went back").isZero();
    assertThat(TopicWatcher.start(TP, "id-1", 0, 3, null, COLUMNS, KEY, null).readFrom()).as("first check").isZero();
  }

  @Test
  void theRowImageIsTheAfterImageOrForADeleteTheBeforeImage() {
    assertThat(TopicWatcher.event("{\"before\":{\"id\":1,\"name\":\"a\"},\"after\":{\"id\":1},\"op\":\"u\"}"
        .getBytes(UTF_8))).isEqualTo(new TopicWatcher.Event("u", Set.of("id"), Set.of(), false));
    assertThat(TopicWatcher.event("{\"before\":{\"id\":1,\"name\":null},\"after\":null,\"op\":\"d\"}"
        .getBytes(UTF_8))).isEqualTo(new TopicWatcher.Event("d", Set.of("id", "name"), Set.of("name"), false));
    assertThat(TopicWatcher.event("{\"before\":null,\"after\":null,\"source\":{\"table\":\"users\"},\"op\":\"t\"}"
        .getBytes(UTF_8))).isEqualTo(new TopicWatcher.Event("t", null, Set.of(), false));
  }

  @Test
  void theEventKnowsItsNullFieldsAndWhetherItHasAnLsn() {
    assertThat(TopicWatcher.event(("{\"before\":null,\"after\":{\"id\":null,\"name\":\"a\"},\"source\":{\"lsn\":7,"
        + "\"table\":\"users\"},\"op\":\"c\"}").getBytes(UTF_8)))
        .isEqualTo(new TopicWatcher.Event("c", Set.of("id", "name"), Set.of("id"), true));
    assertThat(TopicWatcher.event("{\"after\":{\"id\":1},\"source\":{\"table\":\"users\"},\"op\":\"c\"}"
        .getBytes(UTF_8))).isEqualTo(new TopicWatcher.Event("c", Set.of("id"), Set.of(), false));
    assertThat(TopicWatcher.event("{\"after\":{\"id\":1},\"source\":{\"lsn\":null},\"op\":\"c\"}"
        .getBytes(UTF_8)).lsn()).isFalse();
  }

  @Test
  void aColumnThatEarlierImagesHadAndANewerOneLacksIsDropped() {
    TopicWatcher.Scan scan = scan();
    scan.see(5, new TopicWatcher.Event("c", Set.of("id", "email", "name")));
    scan.see(6, new TopicWatcher.Event("u", Set.of("id", "email")));
    scan.see(7, new TopicWatcher.Event("d", Set.of("id", "email")));
    assertThat(scan.watch().droppedColumns()).containsExactly("name");
    assertThat(scan.watch().droppedSince()).isEqualTo(6L);
  }

  @Test
  void anImageWithoutItsKeyIsBadInputNotADroppedColumn() {
    // what BadInputIT produces: a well-formed envelope whose row image has no id, quarantined as "missing key: id"
    TopicWatcher.Scan scan = scan();
    scan.see(5, new TopicWatcher.Event("c", Set.of("id", "email", "name")));
    scan.see(6, new TopicWatcher.Event("c", Set.of("email", "name")));
    scan.see(7, new TopicWatcher.Event("c", Set.of("marker")));
    scan.see(8, new TopicWatcher.Event("x", Set.of("id")));
    scan.see(9, null);
    scan.see(10, new TopicWatcher.Event("c", Set.of("id", "email"), Set.of("id"), true)); // missing key: id
    scan.see(11, new TopicWatcher.Event("c", Set.of("id", "email"), Set.of(), false)); // missing source LSN
    PartitionWatch w = scan.watch();
    assertThat(w.droppedColumns()).isEmpty();
    assertThat(w.droppedSince()).isNull();
    assertThat(w.columnsSeen()).containsExactlyInAnyOrder("id", "email", "name");
  }

  @Test
  void aColumnAddedToTheSpecIsNotDroppedBeforeTheSourceHasIt() {
    TopicWatcher.Scan scan = scan();
    scan.see(5, new TopicWatcher.Event("c", Set.of("id", "email")));
    scan.see(6, new TopicWatcher.Event("c", Set.of("id", "email", "name")));
    assertThat(scan.watch().droppedColumns()).isEmpty();
  }

  private static TopicWatcher.Scan scan() {
    return new TopicWatcher.Scan(TopicWatcher.start(TP, "id-1", 0, 10, null, COLUMNS, KEY, null));
  }
}
