package dev.lakehouse.stack;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where every service of the local stack listens, read from the {@code lakehouse.endpoints} block of
 * lakehouse.conf (with its environment overrides). A few ports the spec does not name (Kafka controller,
 * Flink RPC, Temporal HTTP API and metrics) are optional keys with defaults.
 */
public record Endpoints(
    String host,
    int postgresPort, String postgresDatabase, String postgresUser, String postgresPassword,
    int kafkaPort, int kafkaControllerPort,
    int connectPort,
    int flinkPort, int flinkSqlGatewayPort, int flinkRpcPort,
    int icebergRestPort,
    int s3Port, String s3Bucket, String s3AccessKey, String s3SecretKey, String s3Region,
    int trinoPort, String trinoUser,
    int temporalPort, int temporalUiPort, int temporalHttpPort, int temporalMetricsPort,
    String temporalNamespace, String temporalTaskQueue) {

  public static final String PREFIX = "lakehouse.endpoints.";

  /** Loads from the spec file (LAKEHOUSE_SPEC, else lakehouse.conf found upwards from the working dir). */
  public static Endpoints load() {
    return load(SpecFiles.locateSpec(), Map.of());
  }

  public static Endpoints load(Path spec, Map<String, String> overrides) {
    Config file = spec != null && Files.isRegularFile(spec)
        ? ConfigFactory.parseFile(spec.toFile())
        : ConfigFactory.empty();
    Config c = ConfigFactory.parseMap(overrides).withFallback(file).resolve();
    if (!c.hasPath("lakehouse.endpoints")) {
      throw new IllegalStateException("no lakehouse.endpoints block in " + spec);
    }
    Config e = c.getConfig("lakehouse.endpoints");
    int kafka = e.getInt("kafka.port");
    int temporal = e.getInt("temporal.port");
    return new Endpoints(
        e.getString("host"),
        e.getInt("postgres.port"), e.getString("postgres.database"), e.getString("postgres.user"),
        e.getString("postgres.password"),
        kafka, intOr(e, "kafka.controller-port", kafka + 1),
        e.getInt("connect.port"),
        e.getInt("flink.port"), e.getInt("flink.sql-gateway-port"), intOr(e, "flink.rpc-port", 6123),
        e.getInt("iceberg-rest.port"),
        e.getInt("s3.port"), e.getString("s3.bucket"), e.getString("s3.access-key"),
        e.getString("s3.secret-key"), e.getString("s3.region"),
        e.getInt("trino.port"), e.getString("trino.user"),
        temporal, e.getInt("temporal.ui-port"), intOr(e, "temporal.http-port", temporal + 10),
        intOr(e, "temporal.metrics-port", temporal + 11),
        e.getString("temporal.namespace"), e.getString("temporal.task-queue"));
  }

  private static int intOr(Config c, String path, int dflt) {
    return c.hasPath(path) ? c.getInt(path) : dflt;
  }

  /** The same endpoints with every port replaced by a currently free one (for tests). */
  public Endpoints withFreePorts() {
    return new Endpoints(host,
        freePort(), postgresDatabase, postgresUser, postgresPassword,
        freePort(), freePort(),
        freePort(),
        freePort(), freePort(), freePort(),
        freePort(),
        freePort(), s3Bucket, s3AccessKey, s3SecretKey, s3Region,
        freePort(), trinoUser,
        freePort(), freePort(), freePort(), freePort(),
        temporalNamespace, temporalTaskQueue);
  }

  private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private static final int LOWEST_PORT = 10_000;

  /**
   * A port free right now, not handed out before by this JVM, and below the kernel's ephemeral range:
   * a port the OS hands out for bind(0) is also what it gives the next outgoing connection (of any
   * process), which then steals it before the service binds. A clash left is retried by the caller.
   */
  private int freePort() {
    int below = ephemeralRangeStart();
    for (int i = 0; i < 500; i++) {
      int port = below - LOWEST_PORT > 1000
          ? java.util.concurrent.ThreadLocalRandom.current().nextInt(LOWEST_PORT, below) : 0;
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new java.net.InetSocketAddress(InetAddress.getByName(host), port), 1);
        if (HANDED_OUT.add(s.getLocalPort())) {
          return s.getLocalPort();
        }
      } catch (IOException e) {
        // taken: try another
      }
    }
    throw new IllegalStateException("no free port found on " + host);
  }

  /** First port of /proc/sys/net/ipv4/ip_local_port_range (Linux default 32768). */
  private static int ephemeralRangeStart() {
    try {
      // not Files.readString/readAllBytes: on JDK 17 both return only "3" for this /proc/sys file
      return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim()
          .split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32768;
    }
  }

  /**
   * Config overrides ({@code lakehouse.endpoints.postgres.port -> "54321"}, ...) to layer over
   * lakehouse.conf so a component talks to this stack instance.
   */
  public Map<String, String> configOverrides() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(PREFIX + "host", host);
    m.put(PREFIX + "postgres.port", String.valueOf(postgresPort));
    m.put(PREFIX + "postgres.database", postgresDatabase);
    m.put(PREFIX + "postgres.user", postgresUser);
    m.put(PREFIX + "postgres.password", postgresPassword);
    m.put(PREFIX + "kafka.port", String.valueOf(kafkaPort));
    m.put(PREFIX + "kafka.controller-port", String.valueOf(kafkaControllerPort));
    m.put(PREFIX + "connect.port", String.valueOf(connectPort));
    m.put(PREFIX + "flink.port", String.valueOf(flinkPort));
    m.put(PREFIX + "flink.sql-gateway-port", String.valueOf(flinkSqlGatewayPort));
    m.put(PREFIX + "flink.rpc-port", String.valueOf(flinkRpcPort));
    m.put(PREFIX + "iceberg-rest.port", String.valueOf(icebergRestPort));
    m.put(PREFIX + "s3.port", String.valueOf(s3Port));
    m.put(PREFIX + "s3.bucket", s3Bucket);
    m.put(PREFIX + "s3.access-key", s3AccessKey);
    m.put(PREFIX + "s3.secret-key", s3SecretKey);
    m.put(PREFIX + "s3.region", s3Region);
    m.put(PREFIX + "trino.port", String.valueOf(trinoPort));
    m.put(PREFIX + "trino.user", trinoUser);
    m.put(PREFIX + "temporal.port", String.valueOf(temporalPort));
    m.put(PREFIX + "temporal.ui-port", String.valueOf(temporalUiPort));
    m.put(PREFIX + "temporal.http-port", String.valueOf(temporalHttpPort));
    m.put(PREFIX + "temporal.metrics-port", String.valueOf(temporalMetricsPort));
    m.put(PREFIX + "temporal.namespace", temporalNamespace);
    m.put(PREFIX + "temporal.task-queue", temporalTaskQueue);
    return m;
  }

  public String postgresJdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + postgresPort + "/" + postgresDatabase;
  }

  /** A new connection to the source database, as the spec's user. */
  public Connection openPostgres() throws SQLException {
    return DriverManager.getConnection(postgresJdbcUrl(), postgresUser, postgresPassword);
  }

  /** A new connection to Trino's {@code iceberg} catalog (needs trino-jdbc on the caller's classpath). */
  public Connection openTrino() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", trinoUser);
    return DriverManager.getConnection(trinoJdbcUrl() + "/iceberg", p);
  }

  public String kafkaBootstrapServers() {
    return host + ":" + kafkaPort;
  }

  public String connectUrl() {
    return "http://" + host + ":" + connectPort;
  }

  public String flinkRestUrl() {
    return "http://" + host + ":" + flinkPort;
  }

  public String flinkSqlGatewayUrl() {
    return "http://" + host + ":" + flinkSqlGatewayPort;
  }

  public String icebergRestUrl() {
    return "http://" + host + ":" + icebergRestPort;
  }

  public String s3Url() {
    return "http://" + host + ":" + s3Port;
  }

  public String trinoJdbcUrl() {
    return "jdbc:trino://" + host + ":" + trinoPort;
  }

  public String trinoUrl() {
    return "http://" + host + ":" + trinoPort;
  }

  public String temporalTarget() {
    return host + ":" + temporalPort;
  }

  public String temporalUiUrl() {
    return "http://" + host + ":" + temporalUiPort;
  }
}
