package dev.lakehouse.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecreatedTopicSqlTest {
  @Test
  void theOldTopicsRowsOfAPartitionMoveToAPartitionNoTopicHas() {
    assertThat(RecreatedTopicSql.moveOldTopicAside("iceberg.raw_data.users", 2,
        Instant.parse("2026-12-06T17:01:02.123456Z"))).isEqualTo("UPDATE iceberg.raw_data.users\n"
            + "SET kafka_partition = -3\n"
            + "WHERE kafka_partition = 2 AND ingested_at < TIMESTAMP '2026-12-06 17:01:02.123456 UTC'");
    assertThatThrownBy(() -> RecreatedTopicSql.moveOldTopicAside("iceberg.raw_data.users", -1, Instant.EPOCH))
        .hasMessageContaining("already moved aside");
  }

  @Test
  void theNewTopicStartsAtTheSecondRowAtOffsetZero() {
    assertThat(RecreatedTopicSql.newTopicStartQuery("iceberg.raw_data.users"))
        .contains("count(*) AS rows_at_offset_0, max(ingested_at) AS new_topic_from")
        .contains("WHERE kafka_offset = 0 AND kafka_partition >= 0");
  }
}
