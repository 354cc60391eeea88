package dev.lakehouse.bench;

import dev.lakehouse.activities.flink.IngestSql;
import dev.lakehouse.stack.Endpoints;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a backlog sits after a rate step: WAL not yet confirmed by Debezium (bytes), and messages in the users
 * topic that the Flink job has not committed to Iceberg yet (it commits its Kafka offsets at each checkpoint).
 * Two snapshots some seconds apart give the rate at which Flink works a backlog off: its capacity on this machine.
 */
record Backlog(long atMillis, long slotLagBytes, long topicEnd, long flinkCommitted) {

  long flinkLag() {
    return Math.max(0, topicEnd - flinkCommitted);
  }

  /** Messages per second Flink committed between two snapshots. */
  static double flinkRate(Backlog a, Backlog b) {
    double s = (b.atMillis - a.atMillis) / 1000.0;
    return s <= 0 ? Double.NaN : (b.flinkCommitted - a.flinkCommitted) / s;
  }

  static Backlog take(Endpoints e, String slot, String topic) {
    long slotLag = -1;
    try (Connection c = Jdbc.postgres(e); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)"
             + " FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
      if (rs.next()) {
        slotLag = rs.getLong(1);
      }
    } catch (Exception ex) {
      // reported as -1
    }
    long end = -1;
    long committed = -1;
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, e.kafkaBootstrapServers());
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    try (Admin admin = Admin.create(p)) {
      TopicPartition tp = new TopicPartition(topic, 0);
      end = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
      OffsetAndMetadata o = admin.listConsumerGroupOffsets(IngestSql.GROUP_ID).partitionsToOffsetAndMetadata().get()
          .get(tp);
      committed = o == null ? 0 : o.offset();
    } catch (Exception ex) {
      if (ex instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
    return new Backlog(System.currentTimeMillis(), slotLag, end, committed);
  }

  @Override
  public String toString() {
    return String.format("Debezium behind by %,d WAL bytes; Flink behind by %,d messages (topic end %,d)",
        slotLagBytes, flinkLag(), topicEnd);
  }
}
