package dev.lakehouse.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code lakehouse.security}: defaults, environment overrides, validation, and the loopback rule. */
class SecuritySpecTest {

  private static PipelineSpec load(Map<String, String> env) {
    return SpecLoader.load(SpecSource.bundled(), env, Map.of());
  }

  @Test
  void defaultsAreLoopbackOnlyAReplicationRoleOfItsOwnAndNoTemporalTls() {
    SecuritySpec s = load(Map.of()).security();
    assertThat(s.expose()).isFalse();
    assertThat(s.replication()).isEqualTo(new SecuritySpec.Credentials("debezium", "debezium"));
    assertThat(s.temporal()).isEqualTo(SecuritySpec.TemporalAuth.NONE);
    assertThat(s.temporal().tls()).isFalse();
    assertThat(s.replication().toString()).doesNotContain("debezium\"").endsWith("password=***]");
  }

  @Test
  void theEnvironmentOverridesEveryKey() {
    SecuritySpec s = load(Map.of("LAKEHOUSE_EXPOSE", "true", "LAKEHOUSE_REPLICATION_USER", "cdc",
        "LAKEHOUSE_REPLICATION_PASSWORD", "s3cret", "LAKEHOUSE_TEMPORAL_TLS_CERT", "/etc/t/client.pem",
        "LAKEHOUSE_TEMPORAL_TLS_KEY", "/etc/t/client.key", "LAKEHOUSE_TEMPORAL_TLS_CA", "/etc/t/ca.pem",
        "LAKEHOUSE_TEMPORAL_TLS_SERVER_NAME", "temporal.internal", "LAKEHOUSE_TEMPORAL_API_KEY", "k-123")).security();
    assertThat(s.expose()).isTrue();
    assertThat(s.replication()).isEqualTo(new SecuritySpec.Credentials("cdc", "s3cret"));
    assertThat(s.temporal()).isEqualTo(new SecuritySpec.TemporalAuth(Optional.of("/etc/t/client.pem"),
        Optional.of("/etc/t/client.key"), Optional.of("/etc/t/ca.pem"), Optional.of("temporal.internal"),
        Optional.of("k-123")));
    assertThat(s.temporal().tls()).isTrue();
    assertThat(s.temporal().toString()).doesNotContain("k-123");
    // an API key alone turns TLS on: a bearer token never travels in clear
    assertThat(load(Map.of("LAKEHOUSE_TEMPORAL_API_KEY", "k")).security().temporal().tls()).isTrue();
  }

  @Test
  void badValuesAreProblemsWithTheirPath() {
    assertThatThrownBy(() -> load(Map.of("LAKEHOUSE_EXPOSE", "maybe")))
        .hasMessageContaining("lakehouse.security.expose: 'maybe' is neither on nor off");
    assertThatThrownBy(() -> load(Map.of("LAKEHOUSE_REPLICATION_USER", "postgres")))
        .hasMessageContaining("lakehouse.security.replication.user: 'postgres' is the admin");
    assertThatThrownBy(() -> load(Map.of("LAKEHOUSE_REPLICATION_USER", "Robert'); DROP")))
        .hasMessageContaining("lakehouse.security.replication.user: unsafe identifier");
    assertThatThrownBy(() -> load(Map.of("LAKEHOUSE_TEMPORAL_TLS_CERT", "/c.pem")))
        .hasMessageContaining("lakehouse.security.temporal: client-cert and client-key go together");
  }

  @Test
  void trinoIsPlainHttpUntilAPasswordOrSslIsSet() {
    TrinoClient plain = load(Map.of()).trino();
    assertThat(plain.auth()).isEqualTo(SecuritySpec.TrinoAuth.NONE);
    assertThat(plain.url()).startsWith("http://");
    assertThat(plain.jdbcProperties()).containsOnlyKeys("user");

    TrinoClient secured = load(Map.of("LAKEHOUSE_TRINO_PASSWORD", "tr-s3cret", "LAKEHOUSE_TRINO_TRUSTSTORE",
        "/etc/trino/ca.pem")).trino();
    assertThat(secured.auth().ssl()).as("a password turns HTTPS on").isTrue();
    assertThat(secured.url()).isEqualTo("https://127.0.0.1:" + secured.endpoint().port());
    assertThat(secured.jdbcUrl()).doesNotContain("tr-s3cret");
    assertThat(secured.jdbcProperties()).containsEntry("password", "tr-s3cret").containsEntry("SSL", "true")
        .containsEntry("SSLTrustStorePath", "/etc/trino/ca.pem").doesNotContainKey("SSLTrustStorePassword");
    assertThat(secured.toString()).doesNotContain("tr-s3cret");

    TrinoClient store = load(Map.of("LAKEHOUSE_TRINO_SSL", "on", "LAKEHOUSE_TRINO_TRUSTSTORE", "/t.p12",
        "LAKEHOUSE_TRINO_TRUSTSTORE_PASSWORD", "ts-pass")).trino();
    assertThat(store.jdbcProperties()).containsEntry("SSLTrustStorePassword", "ts-pass").doesNotContainKey("password");
    assertThat(store.toString()).doesNotContain("ts-pass");
  }

  @Test
  void trinoKeysThatCannotWorkAreProblems() {
    assertThatThrownBy(() -> load(Map.of("LAKEHOUSE_TRINO_PASSWORD", "p", "LAKEHOUSE_TRINO_SSL", "off")))
        .hasMessageContaining("lakehouse.security.trino.ssl: is off, but Trino accepts a password over HTTPS only");
    assertThatThrownBy(() -> load(Map.of("LAKEHOUSE_TRINO_SSL", "off", "LAKEHOUSE_TRINO_TRUSTSTORE", "/t.pem")))
        .hasMessageContaining("lakehouse.security.trino.truststore-path: is set, but ssl is off");
    assertThatThrownBy(() -> load(Map.of("LAKEHOUSE_TRINO_TRUSTSTORE_PASSWORD", "x")))
        .hasMessageContaining("lakehouse.security.trino.truststore-password: is set without truststore-path");
    assertThatThrownBy(() -> load(Map.of("LAKEHOUSE_TRINO_SSL", "sometimes")))
        .hasMessageContaining("lakehouse.security.trino.ssl: 'sometimes' is neither on nor off");
  }

  @Test
  void trinoAuthFailuresBecomeOneLineThatSaysWhatToDo() {
    TrinoClient secured = load(Map.of("LAKEHOUSE_TRINO_PASSWORD", "p", "LAKEHOUSE_TRINO_TRUSTSTORE", "/c.pem"))
        .trino();
    assertThat(secured.authProblem(new Exception("Error executing query", new Exception("Authentication failed:"
        + " Unauthorized")))).hasValueSatisfying(m -> assertThat(m).doesNotContain("\n")
        .startsWith("Trino at https://127.0.0.1:").contains("refused the credentials", "LAKEHOUSE_TRINO_PASSWORD"));
    assertThat(secured.authProblem(new javax.net.ssl.SSLHandshakeException("PKIX path building failed")))
        .hasValueSatisfying(m -> assertThat(m).contains("TLS failed", "LAKEHOUSE_TRINO_TRUSTSTORE"));
    assertThat(secured.authProblem(new Exception("Query failed (#1): line 1:8: Column 'x' cannot be resolved")))
        .isEmpty();
  }

  @Test
  void kafkaIsPlaintextUntilSaslIsSetAndThenEveryClientLogsIn() {
    assertThat(load(Map.of()).security().kafka()).isEqualTo(KafkaAuth.NONE);
    assertThat(KafkaAuth.NONE.clientProperties()).isEmpty();

    KafkaAuth sasl = load(Map.of("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "sasl_plaintext", "LAKEHOUSE_KAFKA_USERNAME",
        "worker", "LAKEHOUSE_KAFKA_PASSWORD", "k-pa\"ss")).security().kafka();
    assertThat(sasl.protocol()).isEqualTo(KafkaAuth.Protocol.SASL_PLAINTEXT);
    assertThat(sasl.clientProperties()).containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.mechanism", "PLAIN").containsEntry("sasl.jaas.config",
            "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"worker\""
                + " password=\"k-pa\\\"ss\";");
    assertThat(sasl.toString()).doesNotContain("k-pa");

    KafkaAuth scram = load(Map.of("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "LAKEHOUSE_KAFKA_SASL_MECHANISM",
        "SCRAM-SHA-512", "LAKEHOUSE_KAFKA_USERNAME", "w", "LAKEHOUSE_KAFKA_PASSWORD", "p")).security().kafka();
    assertThat(scram.clientProperties().get("sasl.jaas.config")).startsWith(
        "org.apache.kafka.common.security.scram.ScramLoginModule required");
  }

  @Test
  void withTlsEveryClientTrustsTheStoreOfTheSpecAndConnectReadsItsPasswordFromItsEnvironment() {
    KafkaAuth pem = load(Map.of("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "LAKEHOUSE_KAFKA_SASL_MECHANISM",
        "SCRAM-SHA-256", "LAKEHOUSE_KAFKA_USERNAME", "w", "LAKEHOUSE_KAFKA_PASSWORD", "p",
        "LAKEHOUSE_KAFKA_TRUSTSTORE", "/x/ca.pem")).security().kafka();
    assertThat(pem.clientProperties()).containsEntry("ssl.truststore.location", "/x/ca.pem")
        .containsEntry("ssl.truststore.type", "PEM").doesNotContainKey("ssl.truststore.password")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-256");

    KafkaAuth p12 = load(Map.of("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "SSL", "LAKEHOUSE_KAFKA_TRUSTSTORE", "/x/ca.p12",
        "LAKEHOUSE_KAFKA_TRUSTSTORE_PASSWORD", "store-pw-5")).security().kafka();
    assertThat(p12.clientProperties()).containsExactly(Map.entry("security.protocol", "SSL"),
        Map.entry("ssl.truststore.location", "/x/ca.p12"), Map.entry("ssl.truststore.type", "PKCS12"),
        Map.entry("ssl.truststore.password", "store-pw-5"));
    assertThat(p12.connectProperties("admin.")).containsEntry("admin.ssl.truststore.password",
        "${env:LAKEHOUSE_KAFKA_SSL_TRUSTSTORE_PASSWORD}").doesNotContainKey("admin.sasl.jaas.config");
    assertThat(p12.connectEnvironment()).containsExactly(
        Map.entry("LAKEHOUSE_KAFKA_SSL_TRUSTSTORE_PASSWORD", "store-pw-5"));
    assertThat(p12.toString()).doesNotContain("store-pw-5");
    assertThat(p12.redact("bad store-pw-5")).isEqualTo("bad ***");
    assertThat(p12.masked().truststorePassword()).contains("***");

    KafkaAuth jvm = load(Map.of("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "SSL")).security().kafka();
    assertThat(jvm.clientProperties()).containsExactly(Map.entry("security.protocol", "SSL"));

    assertThatThrownBy(() -> load(Map.of("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
        "LAKEHOUSE_KAFKA_USERNAME", "w", "LAKEHOUSE_KAFKA_PASSWORD", "p", "LAKEHOUSE_KAFKA_TRUSTSTORE", "/x/ca.pem")))
        .hasMessageContaining("security.kafka.truststore-path").hasMessageContaining("for SASL_SSL or SSL");
    assertThatThrownBy(() -> load(Map.of("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "SSL",
        "LAKEHOUSE_KAFKA_TRUSTSTORE_PASSWORD", "x"))).hasMessageContaining("without truststore-path");
    assertThatThrownBy(() -> load(Map.of("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "SSL", "LAKEHOUSE_KAFKA_TRUSTSTORE",
        "/x/ca.pem", "LAKEHOUSE_KAFKA_TRUSTSTORE_PASSWORD", "x"))).hasMessageContaining("read as PEM");
  }

  @Test
  void connectGetsAReferenceToItsEnvironmentAndMessagesLoseThePassword() {
    assertThat(KafkaAuth.NONE.connectProperties("producer.")).isEmpty();
    assertThat(KafkaAuth.NONE.connectEnvironment()).isEmpty();
    assertThat(KafkaAuth.NONE.redact("no password here")).isEqualTo("no password here");

    KafkaAuth sasl = load(Map.of("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "LAKEHOUSE_KAFKA_USERNAME",
        "worker", "LAKEHOUSE_KAFKA_PASSWORD", "k-pa\"ss")).security().kafka();
    assertThat(sasl.connectProperties("producer.")).containsExactly(
        Map.entry("producer.security.protocol", "SASL_PLAINTEXT"), Map.entry("producer.sasl.mechanism", "PLAIN"),
        Map.entry("producer.sasl.jaas.config", "${env:LAKEHOUSE_KAFKA_SASL_JAAS_CONFIG}"));
    assertThat(sasl.connectEnvironment()).containsExactly(
        Map.entry("LAKEHOUSE_KAFKA_SASL_JAAS_CONFIG", sasl.jaasConfig()));
    assertThat(sasl.redact("'properties.sasl.jaas.config' = '" + sasl.jaasConfig() + "', raw k-pa\"ss"))
        .doesNotContain("k-pa").contains("password=\"***\";", "raw ***");
  }

  @Test
  void kafkaKeysThatCannotWorkAreProblems() {
    assertThatThrownBy(() -> load(Map.of("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "SASL")))
        .hasMessageContaining("lakehouse.security.kafka.protocol: 'SASL' is not one of [PLAINTEXT, SASL_PLAINTEXT");
    assertThatThrownBy(() -> load(Map.of("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")))
        .hasMessageContaining("lakehouse.security.kafka: SASL_PLAINTEXT needs username and password");
    assertThatThrownBy(() -> load(Map.of("LAKEHOUSE_KAFKA_USERNAME", "w", "LAKEHOUSE_KAFKA_PASSWORD", "p")))
        .hasMessageContaining("lakehouse.security.kafka: username and password are for SASL");
    assertThatThrownBy(() -> load(Map.of("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
        "LAKEHOUSE_KAFKA_SASL_MECHANISM", "GSSAPI", "LAKEHOUSE_KAFKA_USERNAME", "w", "LAKEHOUSE_KAFKA_PASSWORD", "p")))
        .hasMessageContaining("lakehouse.security.kafka.mechanism: 'GSSAPI' is not one of [PLAIN");
  }

  @Test
  void aSpecWithoutTheBlockGetsTheDefaults() {
    String conf = new String(readBundled(), java.nio.charset.StandardCharsets.UTF_8);
    int from = conf.indexOf("  security {");
    int to = conf.indexOf("\n  }\n", conf.indexOf("    temporal {", from)) + 5;
    String without = conf.substring(0, from) + conf.substring(to);
    assertThat(without).doesNotContain("security {", "replication");
    SecuritySpec s = SpecLoader.parse(without, Map.of()).security();
    assertThat(s.expose()).isFalse();
    assertThat(s.replication().user()).isEqualTo("debezium");
  }

  @Test
  void loopbackIsLocalhostThe127NetworkAndColonColon1Only() {
    for (String h : new String[] {"127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]",
        "0:0:0:0:0:0:0:1"}) {
      assertThat(SecuritySpec.isLoopback(h)).as(h).isTrue();
    }
    for (String h : new String[] {"0.0.0.0", "::", "10.0.0.5", "192.168.1.2", "128.0.0.1", "example.com",
        "localhost.example.com", "", " ", "999.0.0.1"}) {
      assertThat(SecuritySpec.isLoopback(h)).as(h).isFalse();
    }
    assertThat(SecuritySpec.isLoopback(null)).isFalse();
  }

  @Test
  void aNonLoopbackHostIsRefusedUnlessExposedAndThenWarnedAbout() {
    PipelineSpec wide = load(Map.of("LAKEHOUSE_HOST", "0.0.0.0"));
    assertThat(wide.security().refusal(wide.endpoints(), "the worker")).hasValueSatisfying(m -> assertThat(m)
        .startsWith("the worker refuses host 0.0.0.0 (LAKEHOUSE_HOST)").contains("--expose", "LAKEHOUSE_EXPOSE=true")
        .doesNotContain("\n"));
    PipelineSpec exposed = load(Map.of("LAKEHOUSE_HOST", "0.0.0.0", "LAKEHOUSE_EXPOSE", "on"));
    assertThat(exposed.security().refusal(exposed.endpoints(), "the worker")).isEmpty();
    assertThat(exposed.security().exposureWarning(exposed.endpoints())).hasValueSatisfying(w -> assertThat(w)
        .startsWith("WARNING: exposed on 0.0.0.0").contains("postgres", "kafka", "trino", "temporal", "s3"));
    assertThat(exposed.security().unauthenticatedServices()).contains("kafka");
    PipelineSpec sasl = load(Map.of("LAKEHOUSE_HOST", "0.0.0.0", "LAKEHOUSE_EXPOSE", "on",
        "LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "LAKEHOUSE_KAFKA_USERNAME", "lakehouse",
        "LAKEHOUSE_KAFKA_PASSWORD", "kafka-secret"));
    assertThat(sasl.security().unauthenticatedServices()).contains("kafka (SASL login, no TLS)")
        .doesNotContain("kafka");
    PipelineSpec local = load(Map.of());
    assertThat(local.security().refusal(local.endpoints(), "the worker")).isEmpty();
    assertThat(local.security().exposureWarning(local.endpoints())).isEmpty();
    // a service's own host (the Docker worker's container names) is not the shared host: not refused
    PipelineSpec docker = load(Map.of("LAKEHOUSE_POSTGRES_HOST", "postgres"));
    assertThat(docker.security().refusal(docker.endpoints(), "the worker")).isEmpty();
  }

  @Test
  void theExposureWarningListsTrinoOnlyWhenItTakesAnyUserName() {
    Map<String, String> exposed = Map.of("LAKEHOUSE_HOST", "0.0.0.0", "LAKEHOUSE_EXPOSE", "on");
    assertThat(load(exposed).security().unauthenticatedServices()).contains("trino (any user name)");
    PipelineSpec password = load(with(exposed, "LAKEHOUSE_TRINO_PASSWORD", "tr-s3cret"));
    assertThat(password.security().unauthenticatedServices()).noneMatch(s -> s.startsWith("trino"))
        .contains("postgres (password only, no TLS)", "kafka", "temporal (and its web UI)");
    assertThat(password.security().exposureWarning(password.endpoints())).hasValueSatisfying(w -> assertThat(w)
        .doesNotContain("trino").contains("postgres", "kafka", "s3", "temporal"));
    PipelineSpec token = load(with(exposed, "LAKEHOUSE_TRINO_ACCESS_TOKEN_FILE", "/run/secrets/trino-token"));
    assertThat(token.security().unauthenticatedServices()).noneMatch(s -> s.startsWith("trino"));
    // the local S3 answers its one key pair without TLS whichever way the clients get their keys
    PipelineSpec chain = load(with(exposed, "LAKEHOUSE_S3_CREDENTIALS", "default-chain"));
    assertThat(chain.security().unauthenticatedServices()).contains("s3 (static access key, no TLS)");
  }

  private static Map<String, String> with(Map<String, String> env, String key, String value) {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put(key, value);
    return all;
  }

  private static byte[] readBundled() {
    try (var in = SecuritySpecTest.class.getClassLoader().getResourceAsStream(SpecLoader.RESOURCE)) {
      return in.readAllBytes();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
