package dev.lakehouse.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.models.testing.Golden;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IngestSqlTest {
  private final PipelineSpec spec = SpecLoader.load();

  @Test
  void statementsFromTheDefaultSpecMatchGolden() {
    Golden.assertMatches("ingest.sql", String.join(";\n\n", IngestSql.statements(spec, Optional.empty())) + ";\n");
  }

  @Test
  void oneStatementSetWithOneInsertPerTableIntoTheExistingRawTables() {
    List<String> statements = IngestSql.statements(spec, Optional.empty());
    String last = statements.get(statements.size() - 1);
    assertThat(last).startsWith("EXECUTE STATEMENT SET").endsWith("END");
    assertThat(last).contains("INSERT INTO `iceberg`.`raw_data`.`accounts`", "INSERT INTO `iceberg`.`raw_data`.`users`");
    assertThat(statements).noneMatch(s -> s.contains("CREATE TABLE `iceberg`") || s.contains("CREATE DATABASE"));
    // the INSERT column list is the raw table schema, in order
    assertThat(last).contains("(" + String.join(", ", RawColumns.NAMES.stream().map(c -> "`" + c + "`").toList()) + ")");
  }

  @Test
  void pipelineNameAndCheckpointIntervalFromTheSpec() {
    PipelineSpec fast = SpecLoader.load(Map.of("lakehouse.schedules.flink-checkpoint-interval", "3s"));
    assertThat(IngestSql.statements(fast, Optional.empty()))
        .contains("SET 'pipeline.name' = '" + IngestSql.jobName(fast) + "'", "SET 'execution.checkpointing.interval' = '3000 ms'");
  }

  @Test
  void theJobNameCarriesAFingerprintThatChangesWithTheStatementSetOnly() {
    PipelineSpec fast = SpecLoader.load(Map.of("lakehouse.schedules.flink-checkpoint-interval", "3s"));
    assertThat(IngestSql.jobName(spec)).matches("lakehouse-ingest-[0-9a-f]{8}");
    assertThat(IngestSql.fingerprint(spec)).isEqualTo(IngestSql.fingerprint(SpecLoader.load(Map.of())))
        .isNotEqualTo(IngestSql.fingerprint(fast));
    PipelineSpec oneTable = spec.withStructure(new dev.lakehouse.spec.SpecStructure(
        List.of(spec.table("users").orElseThrow()), List.of(), List.of(), List.of()));
    assertThat(IngestSql.fingerprint(oneTable)).isNotEqualTo(IngestSql.fingerprint(spec));
    // the vault models are not part of the job
    PipelineSpec noVault = spec.withStructure(new dev.lakehouse.spec.SpecStructure(spec.tables(), List.of(), List.of(),
        List.of()));
    assertThat(IngestSql.fingerprint(noVault)).isEqualTo(IngestSql.fingerprint(spec));
    assertThat(IngestSql.fingerprintOf(IngestSql.jobName(spec))).isEqualTo(IngestSql.fingerprint(spec));
    assertThat(IngestSql.fingerprintOf("lakehouse-ingest")).isEmpty();
    assertThat(IngestSql.isIngestJob("lakehouse-ingestion")).isFalse();
    assertThat(IngestSql.isIngestJob("other")).isFalse();
  }

  @Test
  void restorePathOnlyWhenGiven() {
    assertThat(IngestSql.statements(spec, Optional.empty())).noneMatch(s -> s.contains("state-recovery"));
    assertThat(IngestSql.statements(spec, Optional.of("file:/tmp/cp/abc/chk-7")))
        .contains("SET 'execution.state-recovery.path' = 'file:/tmp/cp/abc/chk-7'");
  }

  @Test
  void kafkaTablesReadRawValuesWithCoordinatesAndResumeFromGroupOffsets() {
    String users = IngestSql.createKafkaTable(spec, spec.table("users").orElseThrow());
    assertThat(users).contains("'topic' = 'bank.public.users'", "'value.format' = 'raw'",
        "'scan.startup.mode' = 'group-offsets'", "'properties.auto.offset.reset' = 'earliest'",
        "'properties.group.id' = 'lakehouse-ingest'",
        "METADATA FROM 'partition'", "METADATA FROM 'offset'", "METADATA FROM 'timestamp'");
  }

  @Test
  void withKafkaSaslTheSourceTablesLogInAndThePasswordStaysOutOfTheJobName() {
    PipelineSpec sasl = kafkaSasl("ingest", "it's-kafka-9");
    String users = IngestSql.createKafkaTable(sasl, sasl.table("users").orElseThrow());
    Golden.assertMatches("ingest-kafka-sasl.sql", users + ";\n");
    assertThat(users).contains("'properties.security.protocol' = 'SASL_PLAINTEXT'",
        "'properties.sasl.mechanism' = 'PLAIN'", "'properties.sasl.jaas.config' = "
            + "'org.apache.flink.kafka.shaded.org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"ingest\""
            + " password=\"it''s-kafka-9\";'");
    assertThat(String.join("\n", IngestSql.statements(spec, Optional.empty()))).doesNotContain("properties.s");
    // the login is part of the statement set, the password is not part of its name: a new password alone keeps it
    assertThat(IngestSql.jobName(sasl)).doesNotContain("kafka-9").isNotEqualTo(IngestSql.jobName(spec))
        .isEqualTo(IngestSql.jobName(kafkaSasl("ingest", "another-one")))
        .isNotEqualTo(IngestSql.jobName(kafkaSasl("other-user", "it's-kafka-9")));
  }

  @Test
  void withSaslSslTheSourceTablesTrustTheBrokersCaAndTheStorePasswordStaysOutOfTheJobName() {
    PipelineSpec tls = kafkaTls("/srv/kafka/ca.pem");
    String users = IngestSql.createKafkaTable(tls, tls.table("users").orElseThrow());
    Golden.assertMatches("ingest-kafka-sasl-ssl.sql", users + ";\n");
    assertThat(users).contains("'properties.security.protocol' = 'SASL_SSL'",
        "'properties.sasl.mechanism' = 'SCRAM-SHA-512'", "scram.ScramLoginModule required",
        "'properties.ssl.truststore.location' = '/srv/kafka/ca.pem'", "'properties.ssl.truststore.type' = 'PEM'")
        .doesNotContain("ssl.truststore.password");
    assertThat(IngestSql.jobName(tls)).isNotEqualTo(IngestSql.jobName(kafkaTls("/srv/kafka/other-ca.pem")));
  }

  private static PipelineSpec kafkaTls(String truststore) {
    return SpecLoader.load(Map.of("lakehouse.security.kafka.protocol", "SASL_SSL",
        "lakehouse.security.kafka.mechanism", "SCRAM-SHA-512", "lakehouse.security.kafka.username", "ingest",
        "lakehouse.security.kafka.password", "tls-kafka-7", "lakehouse.security.kafka.truststore-path", truststore));
  }

  private static PipelineSpec kafkaSasl(String user, String password) {
    return SpecLoader.load(Map.of("lakehouse.security.kafka.protocol", "SASL_PLAINTEXT",
        "lakehouse.security.kafka.username", user, "lakehouse.security.kafka.password", password));
  }

  @Test
  void literalsAndIdentifiersAreEscaped() {
    assertThat(IngestSql.literal("it's")).isEqualTo("'it''s'");
    assertThat(IngestSql.ident("a`b")).isEqualTo("`a``b`");
  }

  @Test
  void withTheDefaultChainTheCatalogOptionsHoldNoS3Keys() {
    String statements = String.join("\n", IngestSql.statements(spec, Optional.empty()));
    assertThat(statements).contains("'s3.access-key-id' = ", "'s3.secret-access-key' = ");
    PipelineSpec chain = SpecLoader.load(Map.of("lakehouse.endpoints.s3.credentials", "default-chain",
        "lakehouse.endpoints.s3.secret-key", "s3-secret-7f"));
    assertThat(String.join("\n", IngestSql.statements(chain, Optional.empty())))
        .contains("'s3.endpoint' = ").doesNotContain("s3.access-key-id", "s3.secret-access-key",
            "s3-secret-7f");
    assertThat(IcebergCatalogConfig.properties(chain.endpoints())).doesNotContainKeys("s3.access-key-id",
        "s3.secret-access-key");
  }
}
