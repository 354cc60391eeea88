package dev.lakehouse.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The eight services of the local stack, in start order (dependencies first). */
public final class Services {
  private Services() {}

  /** All eight, Temporal as {@code LAKEHOUSE_TEMPORAL} of this process says. */
  public static List<Service> all() {
    return all(TemporalService.Mode.parse(System.getenv(TemporalService.Mode.ENV)));
  }

  static List<Service> all(TemporalService.Mode temporal) {
    return List.of(new S3Service(), new IcebergRestService(), new PostgresService(), new KafkaService(),
        new ConnectService(), new TemporalService(temporal), new FlinkService(), new TrinoService());
  }

  /**
   * The named services plus everything they depend on, in start order; empty or null means all.
   * {@code select(List.of("trino"))} gives s3, iceberg-rest, trino.
   */
  public static List<Service> select(Collection<String> names) {
    return select(names, TemporalService.Mode.parse(System.getenv(TemporalService.Mode.ENV)));
  }

  static List<Service> select(Collection<String> names, TemporalService.Mode temporal) {
    List<Service> all = all(temporal);
    if (names == null || names.isEmpty()) {
      return all;
    }
    Map<String, Service> byName = new LinkedHashMap<>();
    all.forEach(s -> byName.put(s.name(), s));
    Set<String> wanted = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(names);
    while (!todo.isEmpty()) {
      String n = todo.pop().trim();
      if (n.isEmpty()) {
        continue;
      }
      Service s = byName.get(n);
      if (s == null) {
        throw new StackUsageException("unknown service '" + n + "': the services are "
            + String.join(", ", byName.keySet()));
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

  /** The initial heap of every service JVM that does not set its own. */
  static final String INITIAL_HEAP = "32m";

  /** java [jvm args] -Dlakehouse.home=... -cp classpath main [args]. */
  static List<String> java(StackContext ctx, Path java, List<String> jvm, String classpath, String main, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    cmd.addAll(jvm);
    cmd.add("-Dlakehouse.home=" + ctx.home());
    if (jvm.stream().noneMatch(s -> s.endsWith("GC") && s.startsWith("-XX:+Use"))) {
      cmd.add("-XX:+UseSerialGC"); // small dev JVMs on 2 cores: least memory and background CPU
    }
    if (jvm.stream().noneMatch(s -> s.startsWith("-Xms"))) {
      // the JVM's default initial heap is 1/64 of the machine's memory (384 MB here), capped by -Xmx: every small
      // service would start with its whole heap committed and keep it; from 32 MB it grows to what it holds
      cmd.add("-Xms" + INITIAL_HEAP);
    }
    cmd.addAll(nativeHeapTrim(Runtime.version())); // the services run on this JVM's java
    if (classpath != null) {
      cmd.add("-cp");
      cmd.add(classpath);
    }
    cmd.add(main);
    cmd.addAll(List.of(args));
    return cmd;
  }

  /**
   * The flags that have a JVM return the native memory it freed to the OS every 10 s ({@code malloc_trim}): glibc
   * keeps what the compilers, class loading and native buffers freed as RSS until then. A product flag from JDK 22,
   * experimental in 17.0.9+ and 21.0.1+; none on a JDK without it, which would refuse to start.
   */
  static List<String> nativeHeapTrim(Runtime.Version v) {
    boolean has = v.feature() >= 22 || (v.feature() == 21 && v.update() >= 1) || (v.feature() == 17 && v.update() >= 9);
    return has ? List.of("-XX:+UnlockExperimentalVMOptions", "-XX:TrimNativeHeapInterval=10000") : List.of();
  }

  static String libs(Path dir) {
    return dir.resolve("lib").toString() + "/*";
  }

  /**
   * Writes a generated file readable by its owner only (0600): several hold credentials (S3Proxy's, Trino's
   * catalog, PostgreSQL's initdb password file), and none is read by another user.
   */
  static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    if (!Files.exists(file)) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------")); // a file from an older run
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
