package dev.lakehouse.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the worker's Kafka clients authenticate ({@code lakehouse.security.kafka}): the listener's security protocol
 * and, for SASL, the mechanism and the credentials. {@link #clientProperties()} is what every Kafka client of the
 * worker adds to {@code bootstrap.servers}; {@link #toString()} never prints the password.
 */
public record KafkaAuth(Protocol protocol, String mechanism, Optional<String> username, Optional<String> password) {
  public static final KafkaAuth NONE = new KafkaAuth(Protocol.PLAINTEXT, "PLAIN", Optional.empty(), Optional.empty());
  /** The SASL mechanisms a username and password work with (Kafka's names). */
  public static final List<String> MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

  /** Kafka's {@code security.protocol}. */
  public enum Protocol {
    PLAINTEXT, SASL_PLAINTEXT, SASL_SSL, SSL;

    public boolean sasl() {
      return this == SASL_PLAINTEXT || this == SASL_SSL;
    }
  }

  /**
   * {@code security.protocol}, and with SASL {@code sasl.mechanism} and {@code sasl.jaas.config}; empty for
   * PLAINTEXT, so a client of a plain Kafka gets exactly what it got before these keys.
   */
  public Map<String, String> clientProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    if (protocol == Protocol.PLAINTEXT) {
      return p;
    }
    p.put("security.protocol", protocol.name());
    if (protocol.sasl()) {
      p.put("sasl.mechanism", mechanism);
      p.put("sasl.jaas.config", jaasConfig());
    }
    return p;
  }

  /** The JAAS line of the client login: {@code PlainLoginModule} or {@code ScramLoginModule} with the credentials. */
  public String jaasConfig() {
    String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
        : "org.apache.kafka.common.security.scram.ScramLoginModule";
    return module + " required username=" + quoted(username.orElse("")) + " password="
        + quoted(password.orElse("")) + ";";
  }

  /** A JAAS option value: in double quotes, with backslash and quote escaped. */
  public static String quoted(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Override
  public String toString() {
    return "KafkaAuth[protocol=" + protocol + ", mechanism=" + mechanism + ", username=" + username + ", password="
        + password.map(p -> "***") + "]";
  }
}
