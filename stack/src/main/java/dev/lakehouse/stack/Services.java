package dev.lakehouse.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The eight services of the local stack, in start order (dependencies first). */
public final class Services {
  private Services() {}

  public static List<Service> all() {
    return List.of(new S3(), new IcebergRest(), new Postgres(), new Kafka(), new Connect(), new Temporal(),
        new Flink(), new Trino());
  }

  /**
   * The named services plus everything they depend on, in start order; empty or null means all.
   * {@code select(List.of("trino"))} gives s3, iceberg-rest, trino.
   */
  public static List<Service> select(java.util.Collection<String> names) {
    List<Service> all = all();
    if (names == null || names.isEmpty()) {
      return all;
    }
    Map<String, Service> byName = new LinkedHashMap<>();
    all.forEach(s -> byName.put(s.name(), s));
    java.util.Set<String> wanted = new java.util.HashSet<>();
    java.util.Deque<String> todo = new java.util.ArrayDeque<>(names);
    while (!todo.isEmpty()) {
      String n = todo.pop().trim();
      if (n.isEmpty()) {
        continue;
      }
      Service s = byName.get(n);
      if (s == null) {
        throw new IllegalArgumentException("unknown service '" + n + "'; one of " + byName.keySet());
      }
      if (wanted.add(n)) {
        todo.addAll(s.dependsOn());
      }
    }
    return all.stream().filter(s -> wanted.contains(s.name())).toList();
  }

  static final List<String> JAVA_OPENS = List.of(
      "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/java.text=ALL-UNNAMED",
      "--add-opens=java.base/java.time=ALL-UNNAMED");

  /** java [jvm args] -Dlakehouse.home=... -cp classpath main [args]. */
  static List<String> java(StackContext ctx, Path java, List<String> jvm, String classpath, String main, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    cmd.addAll(jvm);
    cmd.add("-Dlakehouse.home=" + ctx.home());
    if (jvm.stream().noneMatch(s -> s.endsWith("GC") && s.startsWith("-XX:+Use"))) {
      cmd.add("-XX:+UseSerialGC"); // small dev JVMs on 2 cores: least memory and background CPU
    }
    if (classpath != null) {
      cmd.add("-cp");
      cmd.add(classpath);
    }
    cmd.add(main);
    cmd.addAll(List.of(args));
    return cmd;
  }

  static String libs(Path dir) {
    return dir.resolve("lib").toString() + "/*";
  }

  static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  static String log4j2(String level) {
    return String.join("\n",
        "status = warn",
        "appender.console.type = Console",
        "appender.console.name = console",
        "appender.console.layout.type = PatternLayout",
        "appender.console.layout.pattern = %d{ISO8601} %-5p [%t] %c{1.} - %m%n",
        "rootLogger.level = " + level,
        "rootLogger.appenderRef.console.ref = console",
        "logger.kafka.name = org.apache.kafka",
        "logger.kafka.level = " + level,
        "logger.zk.name = org.apache.zookeeper",
        "logger.zk.level = warn",
        "logger.hadoop.name = org.apache.hadoop",
        "logger.hadoop.level = warn",
        "");
  }

  static int exec(Path logFile, List<String> cmd, Map<String, String> env, long timeoutSeconds) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", cmd) + " timed out");
    }
    return p.exitValue();
  }

  // ---------------------------------------------------------------- S3 (S3Proxy, filesystem backend)
  static final class S3 extends Service {
    S3() {
      super("s3", List.of());
    }

    @Override public int port(Endpoints e) {
      return e.s3Port();
    }

    @Override public List<String> processNames() {
      return List.of("s3");
    }

    @Override public List<ProcSpec> prepare(StackContext ctx) throws Exception {
      Endpoints e = ctx.endpoints();
      Path data = ctx.data("s3");
      Files.createDirectories(data.resolve(e.s3Bucket())); // a bucket is a directory in this backend
      Path conf = ctx.conf("s3").resolve("s3proxy.properties");
      write(conf, String.join("\n",
          "s3proxy.endpoint=http://" + e.host() + ":" + e.s3Port(),
          "s3proxy.authorization=aws-v2-or-v4",
          "s3proxy.identity=" + e.s3AccessKey(),
          "s3proxy.credential=" + e.s3SecretKey(),
          // Trino's native S3 client sends headers S3Proxy does not know: without this its writes fail
          "s3proxy.ignore-unknown-headers=true",
          "jclouds.provider=filesystem-nio2",
          "jclouds.filesystem.basedir=" + data,
          ""));
      return List.of(new ProcSpec("s3", java(ctx, ctx.java(), List.of("-Xmx256m", "-Xss512k"), null, "-jar",
          ctx.service("s3/s3proxy.jar").toString(), "--properties", conf.toString()), Map.of(), data));
    }

    @Override public String unhealthyReason(StackContext ctx) {
      // the S3 API answers for the bucket (a listing, or AccessDenied if anonymous reads are refused)
      String url = ctx.endpoints().s3Url() + "/" + ctx.endpoints().s3Bucket();
      try {
        var r = Health.get(url);
        return r.body().contains("ListBucketResult") || r.body().contains("AccessDenied") ? null
            : "GET " + url + " -> " + r.statusCode();
      } catch (Exception ex) {
        return "GET " + url + ": " + ex.getClass().getSimpleName();
      }
    }
  }

  // ---------------------------------------------------------------- Iceberg REST catalog
  static final class IcebergRest extends Service {
    IcebergRest() {
      super("iceberg-rest", List.of("s3"));
    }

    @Override public int port(Endpoints e) {
      return e.icebergRestPort();
    }

    @Override public List<String> processNames() {
      return List.of("iceberg-rest");
    }

    @Override public List<ProcSpec> prepare(StackContext ctx) throws Exception {
      Endpoints e = ctx.endpoints();
      Path data = ctx.data("iceberg-rest");
      Map<String, String> env = new LinkedHashMap<>();
      env.put("CATALOG_WAREHOUSE", "s3://" + e.s3Bucket() + "/");
      env.put("CATALOG_URI", "jdbc:sqlite:" + data.resolve("catalog.db"));
      env.put("CATALOG_JDBC_USER", "user");
      env.put("CATALOG_JDBC_PASSWORD", "password");
      env.put("CATALOG_JDBC_SCHEMA__VERSION", "V1");
      env.put("CATALOG_IO__IMPL", "org.apache.iceberg.aws.s3.S3FileIO");
      env.put("CATALOG_S3_ENDPOINT", e.s3Url());
      env.put("CATALOG_S3_PATH__STYLE__ACCESS", "true");
      env.put("CATALOG_S3_ACCESS__KEY__ID", e.s3AccessKey());
      env.put("CATALOG_S3_SECRET__ACCESS__KEY", e.s3SecretKey());
      env.put("CATALOG_CLIENT_REGION", e.s3Region());
      env.put("AWS_REGION", e.s3Region());
      String cp = libs(ctx.service("iceberg-rest")) + ":" + ctx.ownCode();
      return List.of(new ProcSpec("iceberg-rest", java(ctx, ctx.java(), List.of("-Xmx384m"), cp,
          "dev.lakehouse.stack.services.IcebergRestMain", e.host(), String.valueOf(e.icebergRestPort())), env, data));
    }

    @Override public String unhealthyReason(StackContext ctx) {
      return Health.http(ctx.endpoints().icebergRestUrl() + "/v1/config", 200, null);
    }
  }

  // ---------------------------------------------------------------- PostgreSQL (zonky binaries)
  static final class Postgres extends Service {
    Postgres() {
      super("postgres", List.of());
    }

    @Override public int port(Endpoints e) {
      return e.postgresPort();
    }

    @Override public List<String> processNames() {
      return List.of("postgres");
    }

    @Override public String stopSignal() {
      return "INT"; // fast shutdown (TERM would wait for clients to disconnect)
    }

    private static Path bin(StackContext ctx, String tool) {
      return ctx.service("postgres/pgsql/bin").resolve(tool);
    }

    /** PostgreSQL refuses to run as root: as root, run it as nobody (setpriv) and give it its data dir. */
    static List<String> asPgUser(StackContext ctx, List<String> cmd) throws Exception {
      if (!runningAsRoot()) {
        return cmd;
      }
      Path data = ctx.data("postgres");
      exec(ctx.logFile("postgres"), List.of("chown", "-R", "65534:65534", data.toString()), Map.of(), 60);
      List<String> c = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"));
      c.addAll(cmd);
      return c;
    }

    static boolean runningAsRoot() {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
          if (line.startsWith("Uid:")) {
            return line.substring(4).trim().split("\\s+")[1].equals("0");
          }
        }
      } catch (IOException e) {
        // not Linux?
      }
      return false;
    }

    @Override public void cleanup(StackContext ctx) throws Exception {
      Path pgdata = ctx.data("postgres").resolve("pgdata");
      Path pidFile = pgdata.resolve("postmaster.pid");
      if (Files.isRegularFile(pidFile)) {
        List<String> lines = Files.readAllLines(pidFile);
        long pid = lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
        if (pid > 0 && Procs.alive(pid) && Procs.cmdline(pid).contains(pgdata.toString())) {
          ctx.out().accept("postgres: stopping an orphaned postgres (pid " + pid + ") with pg_ctl stop");
          exec(ctx.logFile("postgres"), asPgUser(ctx, List.of(bin(ctx, "pg_ctl").toString(), "stop", "-D",
              pgdata.toString(), "-m", "fast", "-w", "-t", "30")), Map.of(), 40);
          if (!Procs.awaitDeath(pid, 5000)) {
            Procs.signal(pid, "KILL");
          }
        }
      }
    }

    @Override public List<ProcSpec> prepare(StackContext ctx) throws Exception {
      Endpoints e = ctx.endpoints();
      Path data = ctx.data("postgres");
      Path pgdata = data.resolve("pgdata");
      if (!Files.isRegularFile(pgdata.resolve("PG_VERSION"))) {
        Path pw = data.resolve(".pwfile");
        write(pw, e.postgresPassword() + "\n");
        try {
          int rc = exec(ctx.logFile("postgres"), asPgUser(ctx, List.of(bin(ctx, "initdb").toString(), "-D",
              pgdata.toString(), "-U", e.postgresUser(), "--pwfile=" + pw, "-A", "scram-sha-256", "-E", "UTF8",
              "--locale=C")), Map.of(), 120);
          if (rc != 0) {
            throw new IllegalStateException("initdb failed (exit " + rc + ")");
          }
        } finally {
          Files.deleteIfExists(pw);
        }
      }
      List<String> cmd = List.of(bin(ctx, "postgres").toString(), "-D", pgdata.toString(),
          "-p", String.valueOf(e.postgresPort()),
          "-c", "listen_addresses=" + e.host(),
          "-c", "unix_socket_directories=",
          "-c", "wal_level=logical",
          "-c", "max_wal_senders=10",
          "-c", "max_replication_slots=10",
          "-c", "synchronous_commit=on",
          "-c", "fsync=on",
          "-c", "shared_buffers=128MB",
          "-c", "max_connections=100");
      return List.of(new ProcSpec("postgres", asPgUser(ctx, cmd), Map.of("LC_ALL", "C"), data));
    }

    @Override public String unhealthyReason(StackContext ctx) {
      Endpoints e = ctx.endpoints();
      try (Connection c = DriverManager.getConnection(
          "jdbc:postgresql://" + e.host() + ":" + e.postgresPort() + "/postgres?connectTimeout=2",
          e.postgresUser(), e.postgresPassword());
          Statement s = c.createStatement()) {
        s.execute("SELECT 1");
        return null;
      } catch (Exception ex) {
        return "jdbc: " + ex.getMessage();
      }
    }

    @Override public void afterHealthy(StackContext ctx) throws Exception {
      Endpoints e = ctx.endpoints();
      try (Connection c = DriverManager.getConnection(
          "jdbc:postgresql://" + e.host() + ":" + e.postgresPort() + "/postgres", e.postgresUser(), e.postgresPassword());
          Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + e.postgresDatabase() + "'")) {
          if (!rs.next()) {
            s.execute("CREATE DATABASE \"" + e.postgresDatabase() + "\"");
          }
        }
      }
      String sql;
      try (InputStream in = Services.class.getResourceAsStream("/sql/bank-schema.sql")) {
        sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      try (Connection c = DriverManager.getConnection(e.postgresJdbcUrl(), e.postgresUser(), e.postgresPassword());
          Statement s = c.createStatement()) {
        s.execute(sql);
      }
    }
  }

  // ---------------------------------------------------------------- Kafka (KRaft, broker + controller)
  static final class Kafka extends Service {
    Kafka() {
      super("kafka", List.of());
    }

    @Override public int port(Endpoints e) {
      return e.kafkaPort();
    }

    @Override public List<Integer> ports(Endpoints e) {
      return List.of(e.kafkaPort(), e.kafkaControllerPort());
    }

    @Override public List<String> processNames() {
      return List.of("kafka");
    }

    @Override public List<ProcSpec> prepare(StackContext ctx) throws Exception {
      Endpoints e = ctx.endpoints();
      Path data = ctx.data("kafka");
      Path conf = ctx.conf("kafka");
      Path props = conf.resolve("server.properties");
      write(props, String.join("\n",
          "process.roles=broker,controller",
          "node.id=1",
          "controller.quorum.voters=1@" + e.host() + ":" + e.kafkaControllerPort(),
          "listeners=PLAINTEXT://" + e.host() + ":" + e.kafkaPort() + ",CONTROLLER://" + e.host() + ":"
              + e.kafkaControllerPort(),
          "advertised.listeners=PLAINTEXT://" + e.host() + ":" + e.kafkaPort(),
          "controller.listener.names=CONTROLLER",
          "inter.broker.listener.name=PLAINTEXT",
          "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
          "log.dirs=" + data.resolve("logs"),
          "num.partitions=1",
          "auto.create.topics.enable=true",
          "offsets.topic.replication.factor=1",
          "offsets.topic.num.partitions=5",
          "transaction.state.log.replication.factor=1",
          "transaction.state.log.min.isr=1",
          "share.coordinator.state.topic.replication.factor=1",
          "share.coordinator.state.topic.min.isr=1",
          "group.initial.rebalance.delay.ms=0",
          "log.retention.hours=168",
          ""));
      Path log4j = conf.resolve("log4j2.properties");
      write(log4j, log4j2("INFO"));
      List<String> jvm = List.of("-Xmx512m", "-Xms128m", "-Dlog4j2.configurationFile=" + log4j,
          "-Dkafka.logs.dir=" + data);
      String cp = libs(ctx.service("kafka"));
      if (!Files.isRegularFile(data.resolve("logs/meta.properties"))) {
        UUID u = UUID.randomUUID();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
            .putLong(u.getLeastSignificantBits());
        String clusterId = Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
        int rc = exec(ctx.logFile("kafka"), java(ctx, ctx.java(), jvm, cp, "kafka.tools.StorageTool", "format",
            "-t", clusterId, "-c", props.toString(), "--ignore-formatted"), Map.of(), 120);
        if (rc != 0) {
          throw new IllegalStateException("kafka storage format failed (exit " + rc + ")");
        }
      }
      return List.of(new ProcSpec("kafka", java(ctx, ctx.java(), jvm, cp, "kafka.Kafka", props.toString()),
          Map.of(), data));
    }

    @Override public String unhealthyReason(StackContext ctx) {
      return Health.kafkaApiVersions(ctx.endpoints().host(), ctx.endpoints().kafkaPort());
    }
  }

  // ---------------------------------------------------------------- Kafka Connect + Debezium
  static final class Connect extends Service {
    Connect() {
      super("connect", List.of("kafka"));
    }

    @Override public int port(Endpoints e) {
      return e.connectPort();
    }

    @Override public List<String> processNames() {
      return List.of("connect");
    }

    @Override public List<ProcSpec> prepare(StackContext ctx) throws Exception {
      Endpoints e = ctx.endpoints();
      Path data = ctx.data("connect");
      Path conf = ctx.conf("connect");
      Path props = conf.resolve("connect-distributed.properties");
      write(props, String.join("\n",
          "bootstrap.servers=" + e.kafkaBootstrapServers(),
          "group.id=lakehouse-connect",
          "key.converter=org.apache.kafka.connect.json.JsonConverter",
          "value.converter=org.apache.kafka.connect.json.JsonConverter",
          "key.converter.schemas.enable=true",
          "value.converter.schemas.enable=true",
          "offset.storage.topic=connect-offsets",
          "offset.storage.replication.factor=1",
          "offset.storage.partitions=5",
          "config.storage.topic=connect-configs",
          "config.storage.replication.factor=1",
          "status.storage.topic=connect-status",
          "status.storage.replication.factor=1",
          "status.storage.partitions=1",
          "offset.flush.interval.ms=1000",
          "listeners=http://" + e.host() + ":" + e.connectPort(),
          "rest.advertised.host.name=" + e.host(),
          "rest.advertised.port=" + e.connectPort(),
          "plugin.path=" + ctx.service("connect-plugins"),
          "plugin.discovery=service_load",
          ""));
      Path log4j = conf.resolve("log4j2.properties");
      write(log4j, log4j2("INFO"));
      return List.of(new ProcSpec("connect", java(ctx, ctx.java(), List.of("-Xmx512m", "-Xms128m",
          "-Dlog4j2.configurationFile=" + log4j), libs(ctx.service("kafka")),
          "org.apache.kafka.connect.cli.ConnectDistributed", props.toString()), Map.of(), data));
    }

    @Override public String unhealthyReason(StackContext ctx) {
      String health = Health.http(ctx.endpoints().connectUrl() + "/health", 200, null);
      return health != null ? health : Health.http(ctx.endpoints().connectUrl() + "/connector-plugins", 200,
          "PostgresConnector");
    }
  }

  // ---------------------------------------------------------------- Flink session cluster + SQL Gateway
  static final class Flink extends Service {
    Flink() {
      super("flink", List.of("iceberg-rest"));
    }

    @Override public int port(Endpoints e) {
      return e.flinkPort();
    }

    @Override public List<Integer> ports(Endpoints e) {
      return List.of(e.flinkPort(), e.flinkSqlGatewayPort(), e.flinkRpcPort());
    }

    @Override public List<String> processNames() {
      return List.of("flink-jobmanager", "flink-taskmanager", "flink-sql-gateway");
    }

    @Override public List<ProcSpec> prepare(StackContext ctx) throws Exception {
      Endpoints e = ctx.endpoints();
      Path data = ctx.data("flink");
      Path conf = ctx.conf("flink");
      String h = e.host();
      // Started outside Flink's scripts, the TaskManager needs every memory component explicitly,
      // with matching JVM flags (heap = framework + task heap, direct = off-heaps + network).
      write(conf.resolve("config.yaml"), String.join("\n",
          "jobmanager.rpc.address: " + h,
          "jobmanager.rpc.port: " + e.flinkRpcPort(),
          "jobmanager.bind-host: " + h,
          "jobmanager.memory.heap.size: 384m",
          "jobmanager.memory.off-heap.size: 64m",
          "jobmanager.memory.jvm-metaspace.size: 192m",
          "jobmanager.memory.jvm-overhead.min: 128m",
          "jobmanager.memory.jvm-overhead.max: 128m",
          "taskmanager.bind-host: " + h,
          "taskmanager.host: " + h,
          "taskmanager.numberOfTaskSlots: 4",
          "taskmanager.cpu.cores: 2",
          "taskmanager.memory.framework.heap.size: 128m",
          "taskmanager.memory.task.heap.size: 384m",
          "taskmanager.memory.managed.size: 128m",
          "taskmanager.memory.network.min: 64m",
          "taskmanager.memory.network.max: 64m",
          "taskmanager.memory.framework.off-heap.size: 128m",
          "taskmanager.memory.task.off-heap.size: 0m",
          "taskmanager.memory.jvm-metaspace.size: 256m",
          "taskmanager.memory.jvm-overhead.min: 192m",
          "taskmanager.memory.jvm-overhead.max: 192m",
          "rest.address: " + h,
          "rest.bind-address: " + h,
          "rest.port: " + e.flinkPort(),
          "sql-gateway.endpoint.rest.address: " + h,
          "sql-gateway.endpoint.rest.bind-address: " + h,
          "sql-gateway.endpoint.rest.port: " + e.flinkSqlGatewayPort(),
          "blob.server.port: 0",
          "taskmanager.rpc.port: 0",
          "taskmanager.data.port: 0",
          "metrics.internal.query-service.port: 0",
          "parallelism.default: 1",
          "execution.checkpointing.dir: file://" + data.resolve("checkpoints"),
          "state.checkpoints.dir: file://" + data.resolve("checkpoints"),
          "state.savepoints.dir: file://" + data.resolve("savepoints"),
          "io.tmp.dirs: " + StackContext.mkdirs(data.resolve("tmp")),
          "web.tmpdir: " + StackContext.mkdirs(data.resolve("web")),
          "blob.storage.directory: " + StackContext.mkdirs(data.resolve("blob")),
          "env.java.opts.all: " + String.join(" ", JAVA_OPENS),
          ""));
      Path log4j = conf.resolve("log4j.properties");
      write(log4j, log4j2("INFO"));
      String cp = libs(ctx.service("flink"));
      List<ProcSpec> procs = new ArrayList<>();
      for (String[] p : new String[][] {
          {"flink-jobmanager", "-Xmx384m -Xms384m -XX:MaxMetaspaceSize=192m -XX:MaxDirectMemorySize=64m",
              "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint"},
          {"flink-taskmanager", "-Xmx512m -Xms512m -XX:MaxMetaspaceSize=256m -XX:MaxDirectMemorySize=192m",
              "org.apache.flink.runtime.taskexecutor.TaskManagerRunner"},
          {"flink-sql-gateway", "-Xmx256m", "org.apache.flink.table.gateway.SqlGateway"}}) {
        List<String> jvm = new ArrayList<>(List.of(p[1].split(" ")));
        jvm.addAll(JAVA_OPENS);
        jvm.add("-Dlog4j.configurationFile=" + log4j);
        jvm.add("-Dlog4j2.configurationFile=" + log4j);
        jvm.add("-Dlog.file=" + ctx.logFile(p[0]));
        String[] args = p[0].equals("flink-sql-gateway") ? new String[0] : new String[] {"--configDir", conf.toString()};
        procs.add(new ProcSpec(p[0], java(ctx, ctx.java(), jvm, cp, p[2], args),
            Map.of("FLINK_CONF_DIR", conf.toString()), data));
      }
      return procs;
    }

    @Override public String unhealthyReason(StackContext ctx) {
      String tm = Health.http(ctx.endpoints().flinkRestUrl() + "/taskmanagers", 200, "\"id\"");
      return tm != null ? tm : Health.http(ctx.endpoints().flinkSqlGatewayUrl() + "/v1/info", 200, null);
    }
  }

  // ---------------------------------------------------------------- Trino (JDK >= 24)
  static final class Trino extends Service {
    Trino() {
      super("trino", List.of("iceberg-rest"));
    }

    @Override public int port(Endpoints e) {
      return e.trinoPort();
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
      write(etc.resolve("config.properties"), String.join("\n",
          "coordinator=true",
          "node-scheduler.include-coordinator=true",
          "http-server.http.port=" + e.trinoPort(),
          "discovery.uri=http://" + e.host() + ":" + e.trinoPort(),
          "catalog.config-dir=" + etc.resolve("catalog"),
          "plugin.dir=" + plugins,
          "query.max-memory=1GB",
          "query.max-memory-per-node=512MB",
          ""));
      write(etc.resolve("log.properties"), "io.trino=INFO\n");
      write(etc.resolve("catalog/iceberg.properties"), String.join("\n",
          "connector.name=iceberg",
          "iceberg.catalog.type=rest",
          "iceberg.rest-catalog.uri=" + e.icebergRestUrl(),
          "fs.native-s3.enabled=true",
          "s3.endpoint=" + e.s3Url(),
          "s3.region=" + e.s3Region(),
          "s3.path-style-access=true",
          "s3.aws-access-key=" + e.s3AccessKey(),
          "s3.aws-secret-key=" + e.s3SecretKey(),
          ""));
      List<String> jvm = new ArrayList<>(List.of("-Xmx1536m", "-Xms512m", "-XX:+UseG1GC",
          "-XX:+ExitOnOutOfMemoryError", "-XX:-OmitStackTraceInFastThrow", "-XX:ReservedCodeCacheSize=256M",
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
      return List.of(new ProcSpec("trino", cmd, Map.of(), data));
    }

    @Override public String unhealthyReason(StackContext ctx) {
      return Health.http(ctx.endpoints().trinoUrl() + "/v1/info", 200, "\"starting\":false");
    }
  }

  // ---------------------------------------------------------------- Temporal dev server (Go CLI)
  static final class Temporal extends Service {
    Temporal() {
      super("temporal", List.of());
    }

    @Override public int port(Endpoints e) {
      return e.temporalPort();
    }

    @Override public List<Integer> ports(Endpoints e) {
      return List.of(e.temporalPort(), e.temporalUiPort(), e.temporalHttpPort(), e.temporalMetricsPort());
    }

    @Override public List<String> processNames() {
      return List.of("temporal");
    }

    @Override public int timeoutSeconds() {
      return 90;
    }

    @Override public List<ProcSpec> prepare(StackContext ctx) throws Exception {
      Endpoints e = ctx.endpoints();
      Path data = ctx.data("temporal");
      Path cli = TemporalCli.locateOrBuild(ctx.out());
      List<String> cmd = List.of(cli.toString(), "server", "start-dev",
          "--ip", e.host(),
          "--port", String.valueOf(e.temporalPort()),
          "--ui-port", String.valueOf(e.temporalUiPort()),
          "--http-port", String.valueOf(e.temporalHttpPort()),
          "--metrics-port", String.valueOf(e.temporalMetricsPort()),
          "--db-filename", data.resolve("temporal.db").toString(),
          "--namespace", e.temporalNamespace(),
          "--log-level", "warn",
          "--disable-config-file", "--disable-config-env");
      return List.of(new ProcSpec("temporal", cmd, Map.of(), data));
    }

    @Override public String unhealthyReason(StackContext ctx) {
      Endpoints e = ctx.endpoints();
      String ui = Health.http(e.temporalUiUrl() + "/", 200, null);
      if (ui != null) {
        return ui;
      }
      try {
        Path cli = TemporalCli.locateOrBuild(s -> {});
        Process p = new ProcessBuilder(cli.toString(), "operator", "cluster", "health", "--address",
            e.temporalTarget(), "--disable-config-file", "--disable-config-env").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return "temporal operator cluster health timed out";
        }
        return p.exitValue() == 0 && out.contains("SERVING") ? null : "cluster health: " + out.trim();
      } catch (Exception ex) {
        return "cluster health: " + ex.getMessage();
      }
    }
  }

  /** Version of the Temporal CLI this build pins (from lakehouse-stack.properties, filtered by Maven). */
  static String pinned(String key) {
    Properties p = new Properties();
    try (InputStream in = Services.class.getResourceAsStream("/lakehouse-stack.properties")) {
      p.load(in);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("lakehouse-stack.properties missing from the stack jar", e);
    }
    return p.getProperty(key);
  }
}
