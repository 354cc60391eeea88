package dev.lakehouse.spec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who may reach what ({@code lakehouse.security}, docs/security.md): whether the local stack and the worker may
 * use a non-loopback shared host ({@code expose}), the role Debezium replicates with (not the admin of
 * {@code lakehouse.endpoints.postgres}), the optional TLS and API key the worker and the CLI present to
 * Temporal, the optional HTTPS and password or bearer token every Trino client of the lakehouse uses
 * ({@link TrinoClient}), and the optional SASL login of the worker's Kafka clients ({@link KafkaAuth}).
 */
public record SecuritySpec(boolean expose, Credentials replication, TemporalAuth temporal, TrinoAuth trino,
    KafkaAuth kafka) {

  /** The local services that answer anyone who reaches their port (no TLS, no authentication, or a password). */
  public static final List<String> UNAUTHENTICATED_SERVICES = List.of(
      "postgres (password only, no TLS)", "kafka", "kafka connect", "flink (UI, REST and SQL gateway)",
      "iceberg-rest", "s3 (static access key, no TLS)", "trino (any user name)", "temporal (and its web UI)");

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /**
   * The variable of the Kafka Connect worker's environment that holds the replication password. The connector's
   * config names it ({@link #REPLICATION_PASSWORD_REFERENCE}) instead of holding the password, so Connect's REST
   * API ({@code GET /connectors/<name>/config}), its config topic and its logs show the reference; the worker
   * resolves it with Kafka's {@code EnvVarConfigProvider} when the connector starts.
   */
  public static final String REPLICATION_PASSWORD_ENV = "LAKEHOUSE_REPLICATION_PASSWORD";
  /** The connector config's value for {@code database.password}: a reference to {@link #REPLICATION_PASSWORD_ENV}. */
  public static final String REPLICATION_PASSWORD_REFERENCE = "${env:" + REPLICATION_PASSWORD_ENV + "}";

  /** A login and its password; {@link #toString()} never prints the password. */
  public record Credentials(String user, String password) {
    @Override
    public String toString() {
      return "Credentials[user=" + user + ", password=***]";
    }
  }

  /**
   * How to authenticate to Temporal, each value optional: a client certificate and key (PEM files, mutual TLS),
   * the CA that signed the server's certificate (PEM; else the JVM's trust store), the server name to verify
   * (else the host), an API key (sent as a bearer token, over TLS).
   */
  public record TemporalAuth(Optional<String> clientCert, Optional<String> clientKey, Optional<String> caCert,
      Optional<String> serverName, Optional<String> apiKey) {
    public static final TemporalAuth NONE = new TemporalAuth(Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty());

    /** TLS is on when any TLS value or an API key is set (an API key must not travel in clear). */
    public boolean tls() {
      return clientCert.isPresent() || caCert.isPresent() || serverName.isPresent() || apiKey.isPresent();
    }

    @Override
    public String toString() {
      return "TemporalAuth[clientCert=" + clientCert + ", clientKey=" + clientKey + ", caCert=" + caCert
          + ", serverName=" + serverName + ", apiKey=" + apiKey.map(k -> "***") + "]";
    }
  }

  /**
   * How the lakehouse's clients authenticate to Trino ({@code lakehouse.security.trino}): a password for
   * {@code lakehouse.endpoints.trino.user}, or a bearer token (a JWT) read from {@code accessTokenPath} at each new
   * connection, so a rotated token needs no restart; Trino accepts either over HTTPS only, so each turns {@code ssl}
   * on. The trust store holds the certificate (or the CA) of an HTTPS Trino: a PEM file, or a JKS/PKCS12 store with
   * its password; else the JVM's trust store. {@code jwtKeyPath} is for the local stack only: the key its Trino
   * verifies the tokens with (the clients never read it).
   */
  public record TrinoAuth(Optional<String> password, boolean ssl, Optional<String> truststorePath,
      Optional<String> truststorePassword, Optional<String> accessTokenPath, Optional<String> jwtKeyPath) {
    public static final TrinoAuth NONE = new TrinoAuth(Optional.empty(), false, Optional.empty(), Optional.empty());

    /** Without a token: a password (or nothing), HTTPS and a trust store. */
    public TrinoAuth(Optional<String> password, boolean ssl, Optional<String> truststorePath,
        Optional<String> truststorePassword) {
      this(password, ssl, truststorePath, truststorePassword, Optional.empty(), Optional.empty());
    }

    /** The spec key (and its variable) of the credentials in use, for the lines that say what to fix. */
    public String credentialsKey() {
      if (accessTokenPath.isPresent()) {
        return "lakehouse.security.trino.access-token-path (" + ACCESS_TOKEN_ENV + ")";
      }
      if (password.isPresent()) {
        return "lakehouse.security.trino.password (LAKEHOUSE_TRINO_PASSWORD)";
      }
      return "lakehouse.security.trino.password (LAKEHOUSE_TRINO_PASSWORD) or access-token-path ("
          + ACCESS_TOKEN_ENV + ")";
    }

    @Override
    public String toString() {
      return "TrinoAuth[password=" + password.map(p -> "***") + ", ssl=" + ssl + ", truststorePath="
          + truststorePath + ", truststorePassword=" + truststorePassword.map(p -> "***") + ", accessTokenPath="
          + accessTokenPath + ", jwtKeyPath=" + jwtKeyPath + "]";
    }
  }

  /** The variable {@code lakehouse.conf} reads {@code lakehouse.security.trino.access-token-path} from. */
  public static final String ACCESS_TOKEN_ENV = "LAKEHOUSE_TRINO_ACCESS_TOKEN_FILE";

  /**
   * Whether {@code host} is a loopback address: {@code localhost}, 127.0.0.0/8 or ::1. Only literals are checked,
   * never resolved: any other name counts as not loopback.
   */
  public static boolean isLoopback(String host) {
    String h = host == null ? "" : host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost")) {
      return true;
    }
    if (!IPV4.matcher(h).matches() && !(h.contains(":") && h.matches("[0-9a-f:.]+"))) {
      return false; // a name: InetAddress would look it up
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress(); // a literal: parsed, no lookup
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * Empty when the shared host ({@code lakehouse.endpoints.host}) is loopback or {@link #expose} is set; else the
   * one line that tells {@code who} ("the local stack", "the worker") how to proceed.
   */
  public Optional<String> refusal(Endpoints endpoints, String who) {
    if (expose || isLoopback(endpoints.host())) {
      return Optional.empty();
    }
    return Optional.of(who + " refuses host " + endpoints.host() + " (LAKEHOUSE_HOST): its services have no TLS"
        + " and no authentication, so it runs on loopback only. Use 127.0.0.1, or pass --expose / set"
        + " LAKEHOUSE_EXPOSE=true if this network is trusted (docs/security.md)");
  }

  /** The warning printed when a non-loopback host is used with {@link #expose}; empty on loopback. */
  public Optional<String> exposureWarning(Endpoints endpoints) {
    if (isLoopback(endpoints.host())) {
      return Optional.empty();
    }
    return Optional.of("WARNING: exposed on " + endpoints.host() + " (expose = true): anyone who reaches this"
        + " address can use " + String.join(", ", unauthenticatedServices()) + ". See docs/security.md.");
  }

  /**
   * {@link #UNAUTHENTICATED_SERVICES} as this spec configures them: a Kafka with a SASL login says so, and a Trino
   * with a password or a token (HTTPS, no unauthenticated request) is not listed. S3 stays listed whatever
   * {@code lakehouse.endpoints.s3.credentials} says: the local S3 answers its one static key pair, without TLS.
   */
  public List<String> unauthenticatedServices() {
    boolean trinoAuthenticated = trino.password().isPresent() || trino.accessTokenPath().isPresent();
    return UNAUTHENTICATED_SERVICES.stream()
        .filter(s -> !(s.equals("kafka") && kafka.protocol() == KafkaAuth.Protocol.SASL_SSL))
        .filter(s -> !(s.startsWith("trino ") && trinoAuthenticated))
        .map(s -> s.equals("kafka") && kafka.protocol().sasl() ? "kafka (SASL login, no TLS)" : s)
        .toList();
  }
}
