package dev.lakehouse.models;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.KafkaAuth;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.TableSpec;
import dev.lakehouse.workflows.Lakehouse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The Flink SQL of the ingest job, generated from the spec (pure: no I/O; golden-tested). One session runs
 * these statements in order; the last one is a single {@code EXECUTE STATEMENT SET} with one INSERT per
 * source table, so all tables are one job named {@link #PIPELINE_NAME}.
 *
 * <p>Each Kafka topic is read with the {@code raw} value format: the whole message is one string, and the
 * Debezium envelope is taken apart with JSON_VALUE/JSON_QUERY, which return NULL instead of failing. Flink 2.0
 * parses the whole string again for every one of these calls (11 per message; the profile of the throughput
 * benchmark shows the job's task thread in Jackson), so the connector writes the envelope without the
 * converter's schema: about a fifth of the bytes to parse (docs/decisions.md). So a
 * message that is not a readable envelope still lands in the raw table ({@code data} = the message,
 * {@code op} = NULL) for the parse model to reject with a reason, and the job never stops on bad input.
 * Casts are TRY_CASTs for the same reason. The only records skipped are null values (Kafka tombstones):
 * they carry no change (the connector is configured not to emit them at all).
 *
 * <p>The raw tables already exist (the catalog activity creates them with the {@link RawColumns}); Flink only
 * inserts.
 */
public final class IngestSql {
  /**
   * The job name's prefix; the full name ({@link #jobName}) appends the fingerprint of the statement set, so what
   * runs can be compared with what the spec generates without reading the job's plan.
   */
  public static final String PIPELINE_NAME = Lakehouse.INGEST_JOB_PREFIX;
  /** Kafka consumer group of the job: offsets are committed here on each completed checkpoint. */
  public static final String GROUP_ID = "lakehouse-ingest";
  public static final String CATALOG = "iceberg";
  /** Debezium ops whose row image is {@code after}: create, read (snapshot), update. A delete has {@code before}. */
  static final List<String> AFTER_OPS = List.of("c", "r", "u");
  /**
   * How a message written by the JSON converter with schemas starts (the connector wrote those before schemas
   * were turned off). A prefix test costs nothing per message; only such messages pay for the extra parse.
   */
  static final String SCHEMA_ENVELOPE_PREFIX = "{\"schema\":";

  /**
   * Where {@code flink-sql-connector-kafka} (the jar the local stack's and the Docker image's Flink load) relocates
   * Kafka's classes: a JAAS line must name its login module there.
   */
  public static final String FLINK_KAFKA_SHADED_PREFIX = "org.apache.flink.kafka.shaded.";

  private IngestSql() {}

  /** Every statement, in order. {@code restorePath}: a retained checkpoint to resume from, if any. */
  public static List<String> statements(PipelineSpec spec, Optional<String> restorePath) {
    return statements(spec, restorePath, jobName(spec));
  }

  /**
   * The first 8 hex digits of the SHA-256 of the statements (named {@link #PIPELINE_NAME}, no restore path): it
   * changes with anything the job does (tables, topics, endpoints, checkpoint interval, Kafka login), and only then.
   * The Kafka password is hashed as {@code ***}: the fingerprint is in the job's name, which anyone who reaches
   * Flink reads, and a hash of the password would let them test guesses offline. So a new password alone does not
   * resubmit the job (docs/security.md#kafka-sasl-and-tls).
   */
  public static String fingerprint(PipelineSpec spec) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String statement : statements(spec, Optional.empty(), PIPELINE_NAME, spec.security().kafka().masked())) {
        sha.update(statement.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** {@code lakehouse-ingest-<fingerprint>}. */
  public static String jobName(PipelineSpec spec) {
    return Lakehouse.ingestJobName(fingerprint(spec));
  }

  /** The fingerprint in a job's name: empty for a job named before fingerprints, null for another job. */
  public static String fingerprintOf(String jobName) {
    if (PIPELINE_NAME.equals(jobName)) {
      return "";
    }
    return jobName != null && jobName.startsWith(PIPELINE_NAME + "-") ? jobName.substring(PIPELINE_NAME.length() + 1)
        : null;
  }

  /** Whether a Flink job is an ingest job (of any statement set). */
  public static boolean isIngestJob(String jobName) {
    return fingerprintOf(jobName) != null;
  }

  private static List<String> statements(PipelineSpec spec, Optional<String> restorePath, String name) {
    return statements(spec, restorePath, name, spec.security().kafka());
  }

  private static List<String> statements(PipelineSpec spec, Optional<String> restorePath, String name,
      KafkaAuth kafka) {
    List<String> out = new ArrayList<>(settings(spec, restorePath, name));
    out.add(createCatalog(spec.endpoints()));
    for (TableSpec t : spec.tables()) {
      out.add(createKafkaTable(spec, t, kafka));
    }
    out.add(statementSet(spec));
    return out;
  }

  /** Session settings: job name, checkpointing (exactly-once into Iceberg), retention for resubmission. */
  static List<String> settings(PipelineSpec spec, Optional<String> restorePath, String name) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("pipeline.name", name);
    s.put("execution.runtime-mode", "streaming");
    s.put("execution.checkpointing.interval", spec.schedules().flinkCheckpointInterval().toMillis() + " ms");
    s.put("execution.checkpointing.mode", "EXACTLY_ONCE");
    // keep the last checkpoint when the job is cancelled or fails, so a resubmission resumes from it
    s.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
    restorePath.ifPresent(p -> s.put("execution.state-recovery.path", p));
    List<String> out = new ArrayList<>();
    s.forEach((k, v) -> out.add("SET " + literal(k) + " = " + literal(v)));
    return out;
  }

  static String createCatalog(Endpoints endpoints) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("type", "iceberg");
    p.put("catalog-type", "rest");
    p.putAll(IcebergCatalogConfig.properties(endpoints));
    return "CREATE CATALOG " + ident(CATALOG) + " WITH (\n" + options(p) + "\n)";
  }

  /** Source table name in the session's default catalog: {@code kafka_<table>}. */
  static String kafkaTable(TableSpec t) {
    return "kafka_" + t.name();
  }

  static String createKafkaTable(PipelineSpec spec, TableSpec t) {
    return createKafkaTable(spec, t, spec.security().kafka());
  }

  private static String createKafkaTable(PipelineSpec spec, TableSpec t, KafkaAuth kafka) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("connector", "kafka");
    p.put("topic", spec.topic(t));
    p.put("properties.bootstrap.servers", spec.endpoints().kafka().bootstrapServers());
    // lakehouse.security.kafka: security.protocol, and with SASL the mechanism and the JAAS login (password
    // included: Flink has no config provider; Flink masks options named *jaas.config* in its messages, and the
    // worker redacts the password from any it reports), naming the login module as relocated in
    // flink-sql-connector-kafka; with TLS the trust store (ssl.truststore.*, read by the TaskManager's consumer and
    // the JobManager's enumerator). Nothing for a plain Kafka.
    kafka.clientProperties(FLINK_KAFKA_SHADED_PREFIX).forEach((k, v) -> p.put("properties." + k, v));
    p.put("properties.group.id", GROUP_ID);
    // without restored state: resume at the offsets committed by the last completed checkpoint, or from
    // the beginning of the topic when the group has none yet
    p.put("scan.startup.mode", "group-offsets");
    p.put("properties.auto.offset.reset", "earliest");
    p.put("properties.commit.offsets.on.checkpoint", "true");
    p.put("value.format", "raw");
    return "CREATE TEMPORARY TABLE " + ident(kafkaTable(t)) + " (\n"
        + "  `message` STRING,\n"
        + "  `kafka_partition` INT METADATA FROM 'partition' VIRTUAL,\n"
        + "  `kafka_offset` BIGINT METADATA FROM 'offset' VIRTUAL,\n"
        + "  `kafka_timestamp` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL\n"
        + ") WITH (\n" + options(p) + "\n)";
  }

  static String statementSet(PipelineSpec spec) {
    String inserts = spec.tables().stream().map(t -> insert(spec, t) + ";").collect(Collectors.joining("\n"));
    return "EXECUTE STATEMENT SET\nBEGIN\n" + inserts + "\nEND";
  }

  /**
   * One INSERT. The inner query decides {@code op} once: a known op whose row image is present; anything
   * else (not JSON, no payload, unknown op, missing image) is NULL, and then {@code data} is the message.
   */
  static String insert(PipelineSpec spec, TableSpec t) {
    String target = ident(CATALOG) + "." + ident(PipelineSpec.RAW_SCHEMA) + "." + ident(t.name());
    String columns = RawColumns.NAMES.stream().map(IngestSql::ident).collect(Collectors.joining(", "));
    String ops = AFTER_OPS.stream().map(IngestSql::literal).collect(Collectors.joining(", "));
    return "INSERT INTO " + target + " (" + columns + ")\n"
        + "SELECT\n"
        + "  CASE WHEN e.`op` IS NULL THEN e.`message` WHEN e.`op` = 'd' THEN e.`before_image` ELSE e.`after_image` END,\n"
        + "  e.`op`,\n"
        + "  TRY_CAST(JSON_VALUE(e.`envelope`, '$.ts_ms') AS BIGINT),\n"
        + "  TRY_CAST(JSON_VALUE(e.`envelope`, '$.source.ts_ms') AS BIGINT),\n"
        + "  TRY_CAST(JSON_VALUE(e.`envelope`, '$.source.txId') AS BIGINT),\n"
        + "  TRY_CAST(JSON_VALUE(e.`envelope`, '$.source.lsn') AS BIGINT),\n"
        + "  JSON_VALUE(e.`envelope`, '$.source.connector'),\n"
        + "  JSON_VALUE(e.`envelope`, '$.source.db'),\n"
        + "  JSON_VALUE(e.`envelope`, '$.source.schema'),\n"
        + "  JSON_VALUE(e.`envelope`, '$.source.table'),\n"
        + "  e.`kafka_partition`,\n"
        + "  e.`kafka_offset`,\n"
        + "  e.`kafka_timestamp`,\n"
        + "  CURRENT_TIMESTAMP\n"
        + "FROM (\n"
        + "  SELECT\n"
        + "    m.*,\n"
        + "    CASE\n"
        + "      WHEN m.`raw_op` = 'd' AND m.`before_image` IS NOT NULL THEN 'd'\n"
        + "      WHEN m.`raw_op` IN (" + ops + ") AND m.`after_image` IS NOT NULL THEN m.`raw_op`\n"
        + "    END AS `op`\n"
        + "  FROM (\n"
        + "    SELECT\n"
        + "      v.*,\n"
        + "      JSON_VALUE(v.`envelope`, '$.op') AS `raw_op`,\n"
        + "      JSON_QUERY(v.`envelope`, '$.before') AS `before_image`,\n"
        + "      JSON_QUERY(v.`envelope`, '$.after') AS `after_image`\n"
        + "    FROM (\n"
        + "      SELECT\n"
        + "        k.`message`, k.`kafka_partition`, k.`kafka_offset`, k.`kafka_timestamp`,\n"
        + "        -- written with schemas (before 2026-11-26): the change is under payload\n"
        + "        CASE WHEN k.`message` LIKE '" + SCHEMA_ENVELOPE_PREFIX + "%' THEN JSON_QUERY(k.`message`, '$.payload')\n"
        + "          ELSE k.`message` END AS `envelope`\n"
        + "      FROM " + ident(kafkaTable(t)) + " AS k\n"
        + "      -- a null value is a Kafka tombstone, not a change: skipped on purpose\n"
        + "      WHERE k.`message` IS NOT NULL\n"
        + "    ) AS v\n"
        + "  ) AS m\n"
        + ") AS e";
  }

  private static String options(Map<String, String> p) {
    return p.entrySet().stream().map(e -> "  " + literal(e.getKey()) + " = " + literal(e.getValue()))
        .collect(Collectors.joining(",\n"));
  }

  static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  static String ident(String s) {
    return "`" + s.replace("`", "``") + "`";
  }
}
