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

  public record S3(String host, int port, String bucket, String accessKey, String secretKey, String region) {
    public String url() {
      return http(host, port);
    }

    /** {@code s3://<bucket>} */
    public String warehouse() {
      return "s3://" + bucket;
    }

    @Override
    public String toString() {
      return "S3[host=" + host + ", port=" + port + ", bucket=" + bucket + ", accessKey=" + accessKey
          + ", secretKey=***, region=" + region + "]";
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
