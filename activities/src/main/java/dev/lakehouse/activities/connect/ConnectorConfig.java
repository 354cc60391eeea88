package dev.lakehouse.activities.connect;

import dev.lakehouse.activities.kafka.SnapshotScans;
import dev.lakehouse.activities.kafka.SnapshotSignals;
import dev.lakehouse.activities.source.SourceDatabase;
import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SecuritySpec;
import dev.lakehouse.spec.SourceSpec;
import dev.lakehouse.spec.TableSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Debezium PostgreSQL connector's configuration, derived from the spec (pure: no I/O). The seed's
 * config plus what production needs: the spec's publication, which the connector never creates or alters
 * ({@code publication.autocreate.mode=disabled}: the ingestion setup makes it cover the spec's tables, with the
 * same SQL the local stack runs, before it creates the connector), heartbeats so the
 * replication slot advances while the captured tables are idle, no tombstones (they are not changes, and
 * the raw tables are append-only, not compacted topics), truncates sent rather than skipped, and the JSON converter without schemas: every
 * value is the bare Debezium envelope ({@code {"before":..,"after":..,"source":..,"op":..}}). The converter's
 * schema would make each message about five times larger, and the Flink job parses the message once per
 * field it extracts; the raw tables keep only the row image, never the schema.
 */
public final class ConnectorConfig {
  public static final String CONNECTOR_CLASS = "io.debezium.connector.postgresql.PostgresConnector";
  static final String JSON_CONVERTER = "org.apache.kafka.connect.json.JsonConverter";
  /** Heartbeat period: the slot's confirmed LSN moves at least this often when the source is idle. */
  public static final long HEARTBEAT_MILLIS = 10_000;

  private ConnectorConfig() {}

  /** Connector name from the spec ({@code bank-connector}). */
  public static String name(PipelineSpec spec) {
    return spec.source().connector();
  }

  /** {@code schema.table,...} in the spec's (sorted) table order. */
  public static String tableIncludeList(PipelineSpec spec) {
    return spec.tables().stream().map(t -> spec.source().schema() + "." + t.name()).collect(Collectors.joining(","));
  }

  /**
   * The include list of an update that removes no table: the spec's tables, then those the connector captures
   * ({@code captured}, as {@code ConnectActivitiesImpl.includedTables} reads them) that the spec lacks. Removing a
   * table is an apply's decision (refused without {@code --allow-removal}), never a side effect of the ingestion
   * setup of a worker whose spec lacks it (docs/apply.md#at-up).
   */
  public static String tableIncludeListKeeping(PipelineSpec spec, List<String> captured) {
    String prefix = spec.source().schema() + ".";
    List<String> names = spec.tables().stream().map(t -> t.name()).toList();
    StringBuilder list = new StringBuilder(tableIncludeList(spec));
    for (String t : captured) {
      if (!names.contains(t)) {
        list.append(list.isEmpty() ? "" : ",").append(t.contains(".") ? t : prefix + t);
      }
    }
    return list.toString();
  }

  /** The config map for {@code PUT /connectors/{name}/config}, in a stable order. */
  public static Map<String, String> build(PipelineSpec spec) {
    SourceSpec source = spec.source();
    Endpoints.Postgres pg = spec.endpoints().postgres();
    Map<String, String> c = new LinkedHashMap<>();
    c.put("connector.class", CONNECTOR_CLASS);
    c.put("tasks.max", "1"); // a PostgreSQL slot has exactly one reader
    c.put("database.hostname", pg.host());
    c.put("database.port", String.valueOf(pg.port()));
    // Debezium's own role (LOGIN REPLICATION, SELECT on the spec's tables), not the admin: docs/security.md
    c.put("database.user", spec.security().replication().user());
    // a reference the Connect worker resolves from its environment: the password itself is never in Connect's
    // REST answers, config topic or logs (docs/security.md)
    c.put("database.password", SecuritySpec.REPLICATION_PASSWORD_REFERENCE);
    c.put("database.dbname", pg.database());
    c.put("topic.prefix", source.topicPrefix());
    c.put("plugin.name", "pgoutput");
    c.put("publication.name", source.publication());
    c.put("publication.autocreate.mode", "disabled");
    c.put("slot.name", source.slot());
    c.put("table.include.list", tableIncludeList(spec));
    c.put("decimal.handling.mode", "string");
    c.put("heartbeat.interval.ms", String.valueOf(HEARTBEAT_MILLIS));
    c.put("tombstones.on.delete", "false");
    // Debezium skips TRUNCATE by default: the source table emptied and nothing in Kafka. Sent, it is quarantined by
    // the parse model (no row image) and reported by the health check (docs/silent-loss.md#schema-change-policies)
    c.put("skipped.operations", "none");
    c.put("key.converter", JSON_CONVERTER);
    c.put("key.converter.schemas.enable", "false");
    c.put("value.converter", JSON_CONVERTER);
    c.put("value.converter.schemas.enable", "false");
    // a NULL stays null: by default the JSON converter writes a column's default instead of its NULL, and Debezium
    // gives a column whose default is a function (created_at date DEFAULT current_date) the default 0, so a NULL
    // date would reach the lakehouse as 1970-01-01 (found by ShapesIT; docs/ingestion.md)
    c.put("value.converter.replace.null.with.default", "false");
    // incremental snapshots of a table added by lakehouse apply (docs/apply.md#the-snapshot-of-a-new-tables-rows):
    // read-only watermarks (pg_current_snapshot(), PostgreSQL 13+), so nothing is written to the source, and
    // signals through Kafka, so no signal table is needed there either
    c.put("read.only", "true");
    c.put("signal.enabled.channels", "kafka");
    c.put("signal.kafka.topic", SnapshotSignals.topic(spec));
    c.put("signal.kafka.bootstrap.servers", spec.endpoints().kafka().bootstrapServers());
    // Debezium polls the signal topic every 5 s for this long, and its consumer does network I/O only inside a poll:
    // at the default 100 ms, a TLS handshake and a SCRAM login need more polls than the client's 10 s connection
    // setup timeout allows, and the consumer took minutes to connect (a signal sent meanwhile waited for it)
    c.put("signal.kafka.poll.timeout.ms", "2000");
    // the signal channel's consumer is Debezium's own Kafka client (not the worker's): with SASL it logs in like the
    // worker, its JAAS line a reference to the Connect worker's environment (docs/security.md#kafka-sasl-and-tls); nothing
    // for a plain Kafka
    c.putAll(spec.security().kafka().connectProperties("signal.consumer."));
    // each incremental snapshot's outcome per table: Debezium skips a table whose snapshot fails (a WARN in its log)
    // and streams on, so apply reads these to know the rows were read, and signals again when not
    // (docs/apply.md#the-snapshot-of-a-new-tables-rows); the log channel puts them in Connect's log too
    c.put("notification.enabled.channels", "sink,log");
    c.put("notification.sink.topic.name", SnapshotScans.topic(spec));
    // the messages apply emits while a snapshot waits for a new transaction (SourceDatabase.emitSnapshotNudge): their
    // commit is what Debezium needs, the message itself is no change to publish
    c.put("message.prefix.exclude.list", SourceDatabase.SNAPSHOT_NUDGE_PREFIX);
    return Collections.unmodifiableMap(c);
  }

  /** Topic names the connector writes for the spec's tables. */
  public static java.util.List<String> topics(PipelineSpec spec) {
    return spec.tables().stream().map((TableSpec t) -> spec.topic(t)).toList();
  }
}
