package dev.lakehouse.bench;

import dev.lakehouse.models.IngestSql;
import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.stack.StackEndpoints;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
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
record Backlog(long atMillis, long slotLagBytes, long topicEnd, long flinkCommitted, String error) {

  Backlog(long atMillis, long slotLagBytes, long topicEnd, long flinkCommitted) {
    this(atMillis, slotLagBytes, topicEnd, flinkCommitted, null);
  }

  long flinkLag() {
    return topicEnd < 0 || flinkCommitted < 0 ? -1 : Math.max(0, topicEnd - flinkCommitted);
  }

  /** Messages per second Flink committed between two snapshots. */
  static double flinkRate(Backlog a, Backlog b) {
    double s = (b.atMillis - a.atMillis) / 1000.0;
    return s <= 0 || a.flinkCommitted < 0 || b.flinkCommitted < 0 ? Double.NaN
        : (b.flinkCommitted - a.flinkCommitted) / s;
  }

  static Backlog take(Endpoints e, String slot, String topic) {
    long slotLag = -1;
    String error = null;
    try (Connection c = StackEndpoints.openPostgres(e); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)"
             + " FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
      if (rs.next()) {
        slotLag = rs.getLong(1);
      }
    } catch (Exception ex) {
      error = "replication slot: " + ex.getMessage();
    }
    long end = -1;
    long committed = -1;
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, e.kafka().bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      TopicPartition tp = new TopicPartition(topic, 0);
      end = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get(30, TimeUnit.SECONDS).get(tp).offset();
      OffsetAndMetadata o = admin.listConsumerGroupOffsets(IngestSql.GROUP_ID).partitionsToOffsetAndMetadata()
          .get(30, TimeUnit.SECONDS).get(tp);
      committed = o == null ? 0 : o.offset();
    } catch (Exception ex) {
      if (ex instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      error = (error == null ? "" : error + "; ") + "kafka: " + ex;
    }
    return new Backlog(System.currentTimeMillis(), slotLag, end, committed, error);
  }

  @Override
  public String toString() {
    return String.format("Debezium behind by %,d WAL bytes; Flink behind by %,d messages (topic end %,d)%s",
        slotLagBytes, flinkLag(), topicEnd, error == null ? "" : " [" + error + "]");
  }
}
