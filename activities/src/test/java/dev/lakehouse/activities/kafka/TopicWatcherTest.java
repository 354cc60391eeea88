package dev.lakehouse.activities.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.workflows.activities.PartitionWatch;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class TopicWatcherTest {
  private static final TopicPartition TP = new TopicPartition("bank.public.users", 0);

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
    TopicWatcher.Start same = TopicWatcher.start(TP, "id-1", 10, 80, 60L, last);
    assertThat(same.readFrom()).isEqualTo(50);
    assertThat(same.firstStreamed()).isEqualTo(4L);
    assertThat(TopicWatcher.start(TP, "id-1", 70, 80, 60L, last).readFrom()).as("deleted by retention").isEqualTo(70);
    TopicWatcher.Start recreated = TopicWatcher.start(TP, "id-2", 0, 3, null, last);
    assertThat(recreated.readFrom()).isZero();
    assertThat(recreated.firstStreamed()).isNull();
    assertThat(TopicWatcher.start(TP, "id-1", 0, 3, null, last).readFrom()).as("offsets went back").isZero();
    assertThat(TopicWatcher.start(TP, "id-1", 0, 3, null, null).readFrom()).as("first check").isZero();
  }
}
