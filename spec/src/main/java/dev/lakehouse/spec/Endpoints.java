package dev.lakehouse.spec;

/**
 * Where every service listens ({@code lakehouse.endpoints}); one host for all, ports per service. A few ports
 * only the local stack binds (Kafka's controller, Flink's RPC, Temporal's HTTP API and metrics) are optional in
 * the file; the loader fills in their defaults.
 */
public record Endpoints(
    String host,
    Postgres postgres,
    Kafka kafka,
    Connect connect,
    Flink flink,
    IcebergRest icebergRest,
    S3 s3,
    Trino trino,
    Temporal temporal,
    Console console) {

  public record Postgres(String host, int port, String database, String user, String password) {
    public String jdbcUrl() {
      return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
      return "Postgres[host=" + host + ", port=" + port + ", database=" + database + ", user=" + user
          + ", password=***]";
    }
  }

  /** {@code controllerPort}: the KRaft controller listener of the local stack's single node. */
  public record Kafka(String host, int port, int controllerPort) {
    public String bootstrapServers() {
      return host + ":" + port;
    }
  }

  public record Connect(String host, int port) {
    public String url() {
      return http(host, port);
    }
  }

  /**
   * The JobManager and the SQL Gateway (separate hosts only in the Docker stack); {@code rpcPort} is the
   * JobManager's RPC port the local stack's TaskManager connects to.
   */
  public record Flink(String host, int port, String sqlGatewayHost, int sqlGatewayPort, int rpcPort) {
    /** JobManager REST API. */
    public String url() {
      return http(host, port);
    }

    public String sqlGatewayUrl() {
      return http(sqlGatewayHost, sqlGatewayPort);
    }
  }

  public record IcebergRest(String host, int port) {
    public String url() {
      return http(host, port);
    }
  }

  /**
   * The S3 of the warehouse. {@code credentials} says where its clients (the worker's S3FileIO, Trino's Iceberg
   * catalog, the Flink job's catalog, the Iceberg REST catalog of the local stack) get their keys: {@code static}
   * hands every one {@code accessKey}/{@code secretKey}; {@code default-chain} hands none, each resolves its own
   * with the AWS SDK's default chain (environment, profile, web identity, instance or container role), and the
   * two keys are only the local S3's own identity.
   */
  public record S3(String host, int port, String bucket, String accessKey, String secretKey, String region,
      S3Credentials credentials) {
    /** Static keys, as before {@code credentials} existed. */
    public S3(String host, int port, String bucket, String accessKey, String secretKey, String region) {
      this(host, port, bucket, accessKey, secretKey, region, S3Credentials.STATIC);
    }

    public String url() {
      return http(host, port);
    }

    /** {@code s3://<bucket>} */
    public String warehouse() {
      return "s3://" + bucket;
    }

    /** Whether the clients get {@link #accessKey}/{@link #secretKey} in their configuration. */
    public boolean staticKeys() {
      return credentials == S3Credentials.STATIC;
    }

    @Override
    public String toString() {
      return "S3[host=" + host + ", port=" + port + ", bucket=" + bucket + ", accessKey=" + accessKey
          + ", secretKey=***, region=" + region + ", credentials=" + credentials.text() + "]";
    }
  }

  /** {@code lakehouse.endpoints.s3.credentials}: where the S3 clients get their keys ({@link S3}). */
  public enum S3Credentials {
    STATIC, DEFAULT_CHAIN;

    /** As written in the spec: {@code static}, {@code default-chain}. */
    public String text() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The value for {@code text}, empty when it is none of {@link #values()}. */
    public static java.util.Optional<S3Credentials> of(String text) {
      return java.util.Arrays.stream(values()).filter(v -> v.text().equals(text.trim().toLowerCase(
          java.util.Locale.ROOT))).findFirst();
    }
  }

  public record Trino(String host, int port, String user) {
    public String url() {
      return http(host, port);
    }

    /** {@code jdbc:trino://host:port/iceberg} (catalog iceberg). */
    public String jdbcUrl() {
      return "jdbc:trino://" + host + ":" + port + "/iceberg";
    }
  }

  /** {@code httpPort} and {@code metricsPort}: the dev server's HTTP API and metrics (local stack only). */
  public record Temporal(String host, int port, int uiPort, int httpPort, int metricsPort, String namespace,
      String taskQueue) {
    /** {@code host:port}, the gRPC target. */
    public String target() {
      return host + ":" + port;
    }

    public String uiUrl() {
      return http(host, uiPort);
    }
  }

  /** The asset console (module {@code console}): a web page and JSON API on {@code port}. */
  public record Console(String host, int port) {
    public String url() {
      return http(host, port);
    }
  }

  static String http(String host, int port) {
    return "http://" + host + ":" + port;
  }
}
