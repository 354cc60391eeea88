package dev.lakehouse.stack;

import static dev.lakehouse.stack.Services.write;

import dev.lakehouse.spec.Endpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Trino (JDK >= 24). */
final class TrinoService extends Service {
  TrinoService() {
    super("trino", List.of("iceberg-rest"));
  }

  @Override public int port(Endpoints e) {
    return e.trino().port();
  }

  @Override public List<String> processNames() {
    return List.of("trino");
  }

  @Override public int timeoutSeconds() {
    return 180;
  }

  @Override public List<ProcSpec> prepare(StackContext ctx) throws Exception {
    Endpoints e = ctx.endpoints();
    Path trinoJava = Jdks.findTrinoJava();
    Path server;
    try (Stream<Path> s = Files.list(ctx.service("trino"))) {
      server = s.filter(p -> p.getFileName().toString().startsWith("trino-server")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no trino-server-* under " + ctx.service("trino")));
    }
    Path data = ctx.data("trino");
    Path etc = ctx.conf("trino");
    // only the plugins we use: faster start, less memory
    Path plugins = StackContext.mkdirs(data.resolve("plugin"));
    Path iceberg = plugins.resolve("iceberg");
    if (!Files.exists(iceberg, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.createSymbolicLink(iceberg, server.resolve("plugin/iceberg"));
    }
    Path passwordPlugin = plugins.resolve("password-authenticators");
    boolean https = TrinoHttps.on(ctx);
    if (https && ctx.spec().security().trino().password().isPresent()
        && !Files.exists(passwordPlugin, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.createSymbolicLink(passwordPlugin, TrinoHttps.passwordPlugin(server));
    }
    // with a password or a token, HTTPS takes the spec's port and plain HTTP (discovery, health) one of its own
    int httpPort = https ? FreePorts.port(e.host()) : e.trino().port();
    List<String> config = new ArrayList<>(List.of(
        "coordinator=true",
        "node-scheduler.include-coordinator=true",
        "discovery.uri=http://" + e.host() + ":" + httpPort,
        "catalog.config-dir=" + etc.resolve("catalog"),
        "plugin.dir=" + plugins,
        "query.max-memory=1GB",
        "query.max-memory-per-node=512MB",
        // what the heap keeps beyond the queries' tracked memory (Iceberg's writers and commits, plans, query
        // infos): at the default 30 % of 768 MB a 7,500 changes/s step filled it and the JVM died of OOM
        "memory.heap-headroom-per-node=384MB",
        // a finished query's info (plan, stats) stays on the heap for 15 minutes by default: with a run every few
        // seconds that is thousands of them; a minute is what the bench's per-query figures need
        "query.min-expire-age=1m"));
    config.addAll(https ? TrinoHttps.configure(ctx, etc, httpPort) : List.of("http-server.http.port=" + httpPort));
    config.add("");
    write(etc.resolve("config.properties"), String.join("\n", config));
    // Iceberg logs each scan's metrics report and each commit at INFO: most of the log (23 MB in 12 minutes of the
    // bench), and nothing rotates it; its warnings stay
    write(etc.resolve("log.properties"), "io.trino=INFO\norg.apache.iceberg=WARN\n");
    write(etc.resolve("catalog/iceberg.properties"), catalogProperties(e));
    // query.max-memory-per-node plus the headroom above; G1 commits all of it under load
    List<String> jvm = new ArrayList<>(List.of("-Xmx1g", "-Xms512m", "-XX:+UseG1GC",
        "-XX:+ExitOnOutOfMemoryError", "-XX:-OmitStackTraceInFastThrow", "-XX:ReservedCodeCacheSize=256M",
        "-XX:TrimNativeHeapInterval=10000", // JDK >= 24: a product flag (Services.nativeHeapTrim)
        "-Djdk.attach.allowAttachSelf=true", "-XX:+EnableDynamicAgentLoading", "-Dfile.encoding=UTF-8",
        "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "-Dnode.environment=lakehouse", "-Dnode.id=lakehouse-local", "-Dnode.data-dir=" + data,
        "-Dnode.bind-ip=" + e.host(),
        // else the node announces its detected (external) address to itself and queries fail
        "-Dnode.internal-address=" + e.host(), "-Dconfig=" + etc.resolve("config.properties"),
        "-Dlog.levels-file=" + etc.resolve("log.properties")));
    List<String> cmd = new ArrayList<>();
    cmd.add(trinoJava.toString());
    cmd.addAll(jvm);
    cmd.add("-Dlakehouse.home=" + ctx.home());
    cmd.add("-cp");
    cmd.add(server.resolve("lib") + "/*");
    cmd.add("io.trino.server.TrinoServer");
    return List.of(new ProcSpec("trino", cmd, S3Service.clientEnv(e), data));
  }

  /**
   * Trino's {@code catalog/iceberg.properties}: the REST catalog, and S3 with the spec's keys, or none with
   * {@code lakehouse.endpoints.s3.credentials = default-chain} (Trino's S3 client then finds its own, from its
   * environment, profile or role).
   */
  static String catalogProperties(Endpoints e) {
    List<String> lines = new ArrayList<>(List.of(
        "connector.name=iceberg",
        "iceberg.catalog.type=rest",
        "iceberg.rest-catalog.uri=" + e.icebergRest().url(),
        "fs.native-s3.enabled=true",
        "s3.endpoint=" + e.s3().url(),
        "s3.region=" + e.s3().region(),
        "s3.path-style-access=true",
        // the spec's retentions decide (lakehouse.schedules.maintenance), not Trino's 7-day floor
        "iceberg.expire-snapshots.min-retention=1s",
        "iceberg.remove-orphan-files.min-retention=1s"));
    if (e.s3().staticKeys()) {
      lines.addAll(List.of("s3.aws-access-key=" + e.s3().accessKey(), "s3.aws-secret-key=" + e.s3().secretKey()));
    }
    lines.add("");
    return String.join("\n", lines);
  }

  @Override public String unhealthyReason(StackContext ctx) {
    int port = ctx.endpoints().trino().port();
    if (TrinoHttps.on(ctx)) {
      try {
        port = TrinoHttps.httpPort(ctx.conf("trino")); // /v1/info needs no login, on the plain listener too
      } catch (java.io.IOException | RuntimeException ex) {
        return "trino: " + ex.getMessage();
      }
    }
    return Health.http("http://" + ctx.endpoints().host() + ":" + port + "/v1/info", 200, "\"starting\":false");
  }
}
