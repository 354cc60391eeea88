package dev.lakehouse.spec;

import java.util.Optional;

/**
 * Reads {@code lakehouse.security} for {@link SpecReader}. The block is optional (a spec written before it
 * gets the defaults: loopback only, the replication role {@code debezium}, no Temporal TLS); what is in it is
 * validated.
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
    return new SecuritySpec(expose, new SecuritySpec.Credentials(user, password), temporal);
  }

  /** A value that may be absent; blank (an empty environment variable) is absent too. */
  private Optional<String> optional(String path) {
    String v = in.optionalString(path, "").trim();
    return v.isEmpty() ? Optional.empty() : Optional.of(v);
  }
}
