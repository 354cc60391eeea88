package dev.lakehouse.spec;

import java.util.Optional;

/**
 * Reads {@code lakehouse.security} for {@link SpecReader}. The block is optional (a spec written before it
 * gets the defaults: loopback only, the replication role {@code debezium}, no Temporal TLS, plain HTTP to Trino);
 * what is in it is validated.
 */
final class SecurityReader {
  static final String DEFAULT_REPLICATION_USER = "debezium";
  static final String DEFAULT_REPLICATION_PASSWORD = "debezium";

  private final SpecValues in;

  SecurityReader(SpecValues in) {
    this.in = in;
  }

  SecuritySpec read(Endpoints endpoints) {
    String p = "security";
    boolean expose = in.has(p + ".expose") && in.onOff(p + ".expose");
    String user = in.has(p + ".replication.user") ? in.identifier(p + ".replication.user") : DEFAULT_REPLICATION_USER;
    String password = in.optionalString(p + ".replication.password", DEFAULT_REPLICATION_PASSWORD);
    if (user.isEmpty()) {
      in.problem(p + ".replication.user", "must not be empty");
    } else if (user.equals(endpoints.postgres().user())) {
      in.problem(p + ".replication.user", "'" + user + "' is the admin of lakehouse.endpoints.postgres: Debezium"
          + " needs a role of its own (LOGIN REPLICATION, SELECT on the source tables)");
    }
    if (password.isEmpty()) {
      in.problem(p + ".replication.password", "must not be empty");
    }
    String t = p + ".temporal";
    SecuritySpec.TemporalAuth temporal = new SecuritySpec.TemporalAuth(optional(t + ".client-cert"),
        optional(t + ".client-key"), optional(t + ".ca-cert"), optional(t + ".server-name"), optional(t + ".api-key"));
    if (temporal.clientCert().isPresent() != temporal.clientKey().isPresent()) {
      in.problem(t, "client-cert and client-key go together (mutual TLS needs both)");
    }
    return new SecuritySpec(expose, new SecuritySpec.Credentials(user, password), temporal, trino(p + ".trino"),
        kafka(p + ".kafka"));
  }

  /**
   * {@code security.trino}: HTTPS is on when asked, or when a password, a token or a trust store is set (Trino takes
   * passwords and tokens over HTTPS only); a password and a token exclude each other.
   */
  private SecuritySpec.TrinoAuth trino(String t) {
    Optional<String> password = optional(t + ".password");
    Optional<String> token = optional(t + ".access-token-path");
    Optional<String> jwtKey = optional(t + ".jwt-key-path");
    Optional<String> truststore = optional(t + ".truststore-path");
    Optional<String> truststorePassword = optional(t + ".truststore-password");
    boolean ssl = in.has(t + ".ssl") && !in.optionalString(t + ".ssl", "").isBlank() ? in.onOff(t + ".ssl")
        : password.isPresent() || token.isPresent() || truststore.isPresent();
    if (password.isPresent() && !ssl) {
      in.problem(t + ".ssl", "is off, but Trino accepts a password over HTTPS only: turn ssl on"
          + " (LAKEHOUSE_TRINO_SSL=on) or drop the password");
    }
    if (token.isPresent() && !ssl) {
      in.problem(t + ".ssl", "is off, but Trino accepts a bearer token over HTTPS only: turn ssl on"
          + " (LAKEHOUSE_TRINO_SSL=on) or drop access-token-path (" + SecuritySpec.ACCESS_TOKEN_ENV + ")");
    }
    if (token.isPresent() && password.isPresent()) {
      in.problem(t + ".access-token-path", "and password are both set: Trino takes one of them; unset"
          + " LAKEHOUSE_TRINO_PASSWORD or " + SecuritySpec.ACCESS_TOKEN_ENV);
    }
    if (jwtKey.isPresent() && token.isEmpty()) {
      in.problem(t + ".jwt-key-path", "is set without access-token-path (" + SecuritySpec.ACCESS_TOKEN_ENV
          + "): it is the key the local stack's Trino verifies the clients' tokens with");
    }
    if (truststore.isPresent() && !ssl) {
      in.problem(t + ".truststore-path", "is set, but ssl is off: a trust store is for an HTTPS Trino");
    }
    if (truststorePassword.isPresent() && truststore.isEmpty()) {
      in.problem(t + ".truststore-password", "is set without truststore-path (LAKEHOUSE_TRINO_TRUSTSTORE)");
    }
    return new SecuritySpec.TrinoAuth(password, ssl, truststore, truststorePassword, token, jwtKey);
  }

  /** {@code security.kafka}: PLAINTEXT unless set; SASL needs a username and a password, nothing else takes them. */
  private KafkaAuth kafka(String k) {
    String text = optional(k + ".protocol").orElse("PLAINTEXT").toUpperCase(java.util.Locale.ROOT);
    KafkaAuth.Protocol protocol = KafkaAuth.Protocol.PLAINTEXT;
    try {
      protocol = KafkaAuth.Protocol.valueOf(text);
    } catch (IllegalArgumentException e) {
      in.problem(k + ".protocol", "'" + text + "' is not one of " + java.util.Arrays.toString(
          KafkaAuth.Protocol.values()));
    }
    String mechanism = optional(k + ".mechanism").orElse("PLAIN").toUpperCase(java.util.Locale.ROOT);
    if (!KafkaAuth.MECHANISMS.contains(mechanism)) {
      in.problem(k + ".mechanism", "'" + mechanism + "' is not one of " + KafkaAuth.MECHANISMS
          + " (the mechanisms that log in with a username and password)");
    }
    Optional<String> username = optional(k + ".username");
    Optional<String> password = optional(k + ".password");
    if (protocol.sasl() && (username.isEmpty() || password.isEmpty())) {
      in.problem(k, protocol + " needs username and password (LAKEHOUSE_KAFKA_USERNAME, LAKEHOUSE_KAFKA_PASSWORD)");
    } else if (!protocol.sasl() && (username.isPresent() || password.isPresent())) {
      in.problem(k, "username and password are for SASL: set protocol to SASL_PLAINTEXT or SASL_SSL"
          + " (LAKEHOUSE_KAFKA_SECURITY_PROTOCOL), it is " + protocol);
    }
    Optional<String> truststore = optional(k + ".truststore-path");
    Optional<String> truststorePassword = optional(k + ".truststore-password");
    if (truststore.isPresent() && !protocol.tls()) {
      in.problem(k + ".truststore-path", "is set, but protocol is " + protocol + ": a trust store is for SASL_SSL or"
          + " SSL (LAKEHOUSE_KAFKA_SECURITY_PROTOCOL)");
    }
    if (truststorePassword.isPresent() && truststore.isEmpty()) {
      in.problem(k + ".truststore-password", "is set without truststore-path (LAKEHOUSE_KAFKA_TRUSTSTORE)");
    }
    KafkaAuth auth = new KafkaAuth(protocol, mechanism, username, password, truststore, truststorePassword);
    if (truststorePassword.isPresent() && truststore.isPresent() && auth.truststoreType().equals("PEM")) {
      in.problem(k + ".truststore-password", "is set, but " + truststore.get() + " is read as PEM, which has no"
          + " password: drop it, or name a .p12/.pfx/.jks store");
    }
    return auth;
  }

  /** A value that may be absent; blank (an empty environment variable) is absent too. */
  private Optional<String> optional(String path) {
    String v = in.optionalString(path, "").trim();
    return v.isEmpty() ? Optional.empty() : Optional.of(v);
  }
}
