package dev.lakehouse.activities.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ConsumerOffsetsTest {
  private static final TopicPartition P0 = new TopicPartition("bank.public.users", 0);
  private static final TopicPartition P1 = new TopicPartition("bank.public.users", 1);

  @Test
  void theGroupIsRaisedToTheRawTablesPositionNeverLowered() {
    assertThat(ConsumerOffsets.raises(Map.of(P0, 40L, P1, 90L), Map.of(P0, 50L, P1, 80L), Map.of(P0, 60L, P1, 95L)))
        .containsExactly(Map.entry(P0, 50L));
    assertThat(ConsumerOffsets.raises(Map.of(), Map.of(P0, 60L), Map.of(P0, 60L))).as("never committed, at the end")
        .containsExactly(Map.entry(P0, 60L));
  }

  @Test
  void aPositionPastTheEndOfARecreatedTopicOrAPartitionMovedAsideIsNotCommitted() {
    assertThat(ConsumerOffsets.raises(Map.of(), Map.of(P0, 350L), Map.of(P0, 12L)))
        .as("the raw table holds the old topic's offsets: the job must read the new one from its start").isEmpty();
    assertThat(ConsumerOffsets.raises(Map.of(), Map.of(P0, 350L), Map.of())).as("the topic is gone").isEmpty();
    assertThat(ConsumerOffsets.raises(Map.of(), Map.of(new TopicPartition("bank.public.users", -1), 350L, P0, 5L),
        Map.of(P0, 12L))).as("the old topic's rows moved aside").containsExactly(Map.entry(P0, 5L));
  }
}
