package dev.lakehouse.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the worker's Kafka clients authenticate ({@code lakehouse.security.kafka}): the listener's security protocol,
 * for SASL the mechanism and the credentials, and for TLS (SASL_SSL, SSL) the trust store that holds the CA of the
 * broker's certificate (a PEM file, or a PKCS12/JKS store with its password; else the JVM's trust store).
 * {@link #clientProperties()} is what every Kafka client of the worker adds to {@code bootstrap.servers};
 * {@link #toString()} never prints a password.
 */
public record KafkaAuth(Protocol protocol, String mechanism, Optional<String> username, Optional<String> password,
    Optional<String> truststorePath, Optional<String> truststorePassword) {
  public static final KafkaAuth NONE = new KafkaAuth(Protocol.PLAINTEXT, "PLAIN", Optional.empty(), Optional.empty());
  /**
   * The variable of the Kafka Connect worker's environment that holds {@link #truststorePassword()}, named by
   * {@link #TRUSTSTORE_PASSWORD_REFERENCE} like {@link #JAAS_CONFIG_ENV}.
   */
  public static final String TRUSTSTORE_PASSWORD_ENV = "LAKEHOUSE_KAFKA_SSL_TRUSTSTORE_PASSWORD";
  /** {@code ssl.truststore.password} as Connect reads it: a reference to {@link #TRUSTSTORE_PASSWORD_ENV}. */
  public static final String TRUSTSTORE_PASSWORD_REFERENCE = "${env:" + TRUSTSTORE_PASSWORD_ENV + "}";
  /** The SASL mechanisms a username and password work with (Kafka's names). */
  public static final List<String> MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
  /**
   * The variable of the Kafka Connect worker's environment that holds {@link #jaasConfig()}: the worker config and
   * the connector config name it ({@link #JAAS_CONFIG_REFERENCE}) instead of holding the password, like the
   * replication password ({@link SecuritySpec#REPLICATION_PASSWORD_ENV}), so Connect's REST API, its config topic,
   * its logs and its config file show the reference.
   */
  public static final String JAAS_CONFIG_ENV = "LAKEHOUSE_KAFKA_SASL_JAAS_CONFIG";
  /** {@code sasl.jaas.config} as Connect reads it: a reference to {@link #JAAS_CONFIG_ENV}. */
  public static final String JAAS_CONFIG_REFERENCE = "${env:" + JAAS_CONFIG_ENV + "}";

  /** Kafka's {@code security.protocol}. */
  public enum Protocol {
    PLAINTEXT, SASL_PLAINTEXT, SASL_SSL, SSL;

    public boolean sasl() {
      return this == SASL_PLAINTEXT || this == SASL_SSL;
    }

    public boolean tls() {
      return this == SASL_SSL || this == SSL;
    }
  }

  /** A login without TLS settings (no trust store: the JVM's, for SASL_SSL and SSL). */
  public KafkaAuth(Protocol protocol, String mechanism, Optional<String> username, Optional<String> password) {
    this(protocol, mechanism, username, password, Optional.empty(), Optional.empty());
  }

  /**
   * Kafka's {@code ssl.truststore.type} for {@link #truststorePath()}: {@code PKCS12} for {@code .p12}/{@code .pfx},
   * {@code JKS} for {@code .jks}, else {@code PEM} (one or more certificates).
   */
  public String truststoreType() {
    String path = truststorePath.orElse("").toLowerCase(java.util.Locale.ROOT);
    return path.endsWith(".p12") || path.endsWith(".pfx") ? "PKCS12" : path.endsWith(".jks") ? "JKS" : "PEM";
  }

  /**
   * {@code security.protocol}, and with SASL {@code sasl.mechanism} and {@code sasl.jaas.config}; empty for
   * PLAINTEXT, so a client of a plain Kafka gets exactly what it got before these keys.
   */
  public Map<String, String> clientProperties() {
    return withJaas(jaasConfig(), truststorePassword.orElse(""));
  }

  /**
   * {@link #clientProperties()} for a Kafka client relocated under {@code shadedPrefix} ({@link #jaasConfig(String)}).
   */
  public Map<String, String> clientProperties(String shadedPrefix) {
    return withJaas(jaasConfig(shadedPrefix), truststorePassword.orElse(""));
  }

  /**
   * {@link #clientProperties()} for a Kafka Connect worker and its connectors: {@code sasl.jaas.config} is
   * {@link #JAAS_CONFIG_REFERENCE}, which Connect resolves from {@link #JAAS_CONFIG_ENV} with Kafka's
   * {@code EnvVarConfigProvider}; no password in it.
   */
  public Map<String, String> connectProperties() {
    return withJaas(JAAS_CONFIG_REFERENCE, TRUSTSTORE_PASSWORD_REFERENCE);
  }

  /** {@code prefix} before each of {@link #connectProperties()}: {@code producer.}, {@code signal.consumer.}, ... */
  public Map<String, String> connectProperties(String prefix) {
    Map<String, String> p = new LinkedHashMap<>();
    connectProperties().forEach((k, v) -> p.put(prefix + k, v));
    return p;
  }

  /** The variables a Connect worker needs for {@link #connectProperties()}: the JAAS line, a trust store password. */
  public Map<String, String> connectEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    if (protocol.sasl()) {
      env.put(JAAS_CONFIG_ENV, jaasConfig());
    }
    if (protocol.tls()) {
      truststorePassword.ifPresent(p -> env.put(TRUSTSTORE_PASSWORD_ENV, p));
    }
    return env;
  }

  private Map<String, String> withJaas(String jaas, String storePassword) {
    Map<String, String> p = new LinkedHashMap<>();
    if (protocol == Protocol.PLAINTEXT) {
      return p;
    }
    p.put("security.protocol", protocol.name());
    if (protocol.sasl()) {
      p.put("sasl.mechanism", mechanism);
      p.put("sasl.jaas.config", jaas);
    }
    if (protocol.tls() && truststorePath.isPresent()) {
      p.put("ssl.truststore.location", truststorePath.get());
      p.put("ssl.truststore.type", truststoreType());
      if (truststorePassword.isPresent()) {
        p.put("ssl.truststore.password", storePassword);
      }
    }
    return p;
  }

  /** The same login with {@code ***} for the passwords: what may be hashed or shown where they may not. */
  public KafkaAuth masked() {
    return new KafkaAuth(protocol, mechanism, username, password.map(p -> "***"), truststorePath,
        truststorePassword.map(p -> "***"));
  }

  /**
   * {@code text} with the password (raw and as quoted in {@link #jaasConfig()}) replaced by {@code ***}: for
   * messages that may echo a generated statement or config, such as a rejected Flink DDL.
   */
  public String redact(String text) {
    if (text != null && truststorePassword.isPresent()) {
      text = text.replace(truststorePassword.get(), "***");
    }
    if (text == null || password.isEmpty() || password.get().isEmpty()) {
      return text;
    }
    String quoted = quoted(password.get());
    return text.replace(quoted.substring(1, quoted.length() - 1), "***").replace(password.get(), "***");
  }

  /** The JAAS line of the client login: {@code PlainLoginModule} or {@code ScramLoginModule} with the credentials. */
  public String jaasConfig() {
    return jaasConfig("");
  }

  /**
   * {@link #jaasConfig()} for a Kafka client whose classes are relocated under {@code shadedPrefix}: Flink's
   * {@code flink-sql-connector-kafka} shades Kafka under {@code org.apache.flink.kafka.shaded.}, and its JAAS login
   * finds only the relocated login module ("No LoginModule found for org.apache.kafka...PlainLoginModule").
   */
  public String jaasConfig(String shadedPrefix) {
    String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
        : "org.apache.kafka.common.security.scram.ScramLoginModule";
    return shadedPrefix + module + " required username=" + quoted(username.orElse("")) + " password="
        + quoted(password.orElse("")) + ";";
  }

  /** A JAAS option value: in double quotes, with backslash and quote escaped. */
  public static String quoted(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Override
  public String toString() {
    return "KafkaAuth[protocol=" + protocol + ", mechanism=" + mechanism + ", username=" + username + ", password="
        + password.map(p -> "***") + ", truststorePath=" + truststorePath + ", truststorePassword="
        + truststorePassword.map(p -> "***") + "]";
  }
}
