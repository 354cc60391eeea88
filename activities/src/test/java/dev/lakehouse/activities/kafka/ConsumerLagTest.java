package dev.lakehouse.activities.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.workflows.activities.ConsumerLag;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ConsumerLagTest {
  private final TopicPartition users0 = new TopicPartition("bank.public.users", 0);
  private final TopicPartition accounts0 = new TopicPartition("bank.public.accounts", 0);

  @Test
  void lagIsEndMinusCommittedAndUncommittedPartitionsCountFromTheStart() {
    ConsumerLag lag = KafkaActivitiesImpl.lag("g",
        Map.of(users0, 10L, accounts0, 7L),
        Map.of(users0, 0L, accounts0, 2L),
        Map.of(users0, 4L));
    assertThat(lag.perPartition()).containsExactly(Map.entry("bank.public.accounts-0", 5L),
        Map.entry("bank.public.users-0", 6L));
    assertThat(lag.totalLag()).isEqualTo(11);
    assertThat(lag.group()).isEqualTo("g");
  }

  @Test
  void neverNegative() {
    // a commit can briefly be ahead of a stale end-offset read
    assertThat(KafkaActivitiesImpl.lag("g", Map.of(users0, 3L), Map.of(), Map.of(users0, 5L)).totalLag()).isZero();
  }
}
