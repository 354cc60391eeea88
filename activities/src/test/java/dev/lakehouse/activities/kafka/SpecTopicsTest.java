package dev.lakehouse.activities.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which topics the health check's consumer lag and silent-loss watch read: the worker's spec tables' only. */
class SpecTopicsTest {
  private final PipelineSpec spec = SpecLoader.load(); // users and accounts

  @Test
  void aCapturedTopicOfATableTheSpecLacksIsNotRead() {
    // after `up` refused a removal: the connector still streams transactions, the worker's spec has no such table
    Set<String> existing = Set.of("bank.public.users", "bank.public.accounts", "bank.public.transactions",
        "bank-signal");
    assertThat(KafkaActivitiesImpl.specTopics(spec, existing))
        .containsExactlyInAnyOrder("bank.public.users", "bank.public.accounts");
  }

  @Test
  void aSpecTableWithoutTopicYetIsSkipped() {
    assertThat(KafkaActivitiesImpl.specTopics(spec, Set.of("bank.public.accounts")))
        .containsExactly("bank.public.accounts");
  }
}
