package dev.lakehouse.stack;

import static dev.lakehouse.stack.Services.java;
import static dev.lakehouse.stack.Services.libs;

import dev.lakehouse.spec.Endpoints;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Iceberg REST catalog. */
final class IcebergRestService extends Service {
  /** How long a catalog commit waits for another connection's write lock before failing. */
  static final int SQLITE_BUSY_TIMEOUT_MILLIS = 30_000;

  IcebergRestService() {
    super("iceberg-rest", List.of("s3"));
  }

  @Override public int port(Endpoints e) {
    return e.icebergRest().port();
  }

  @Override public List<String> processNames() {
    return List.of("iceberg-rest");
  }

  @Override public List<ProcSpec> prepare(StackContext ctx) throws Exception {
    Endpoints e = ctx.endpoints();
    Path data = ctx.data("iceberg-rest");
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CATALOG_WAREHOUSE", "s3://" + e.s3().bucket() + "/");
    // One SQLite connection, used in turn by every request: with two (the default pool), a commit on a connection
    // whose read snapshot another connection's write made stale fails at once with SQLITE_BUSY(_SNAPSHOT), no
    // busy timeout applies, the catalog answers 500, and Trino and Flink report a commit of unknown state
    // (parallel check results and model commits hit it). Catalog calls take milliseconds; in turn is enough.
    env.put("CATALOG_CLIENTS", "1");
    // WAL: a checkpoint of the file never blocks a read; busy_timeout for anything else that opens the file
    env.put("CATALOG_URI", "jdbc:sqlite:" + data.resolve("catalog.db") + "?journal_mode=WAL&busy_timeout="
        + SQLITE_BUSY_TIMEOUT_MILLIS);
    env.put("CATALOG_JDBC_USER", "user");
    env.put("CATALOG_JDBC_PASSWORD", "password");
    env.put("CATALOG_JDBC_SCHEMA__VERSION", "V1");
    env.put("CATALOG_IO__IMPL", "org.apache.iceberg.aws.s3.S3FileIO");
    env.put("CATALOG_S3_ENDPOINT", e.s3().url());
    env.put("CATALOG_S3_PATH__STYLE__ACCESS", "true");
    if (e.s3().staticKeys()) {
      env.put("CATALOG_S3_ACCESS__KEY__ID", e.s3().accessKey());
      env.put("CATALOG_S3_SECRET__ACCESS__KEY", e.s3().secretKey());
    }
    env.putAll(S3Service.clientEnv(e)); // default-chain: the keys as AWS_* variables, found by S3FileIO's chain
    env.put("CATALOG_CLIENT_REGION", e.s3().region());
    env.put("AWS_REGION", e.s3().region());
    String cp = libs(ctx.service("iceberg-rest")) + ":" + ctx.ownCode();
    // a commit or a table load every few seconds: the C1 compiler alone (no C2 code or compiler arenas) is enough
    List<String> jvm = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");
    return List.of(new ProcSpec("iceberg-rest", java(ctx, ctx.java(), jvm, cp,
        "dev.lakehouse.stack.services.IcebergRestMain", e.host(), String.valueOf(e.icebergRest().port())), env, data));
  }

  @Override public String unhealthyReason(StackContext ctx) {
    return Health.http(ctx.endpoints().icebergRest().url() + "/v1/config", 200, null);
  }
}
