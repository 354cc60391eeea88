package dev.lakehouse.stack;

import static dev.lakehouse.stack.Services.JAVA_OPENS;
import static dev.lakehouse.stack.Services.java;
import static dev.lakehouse.stack.Services.libs;
import static dev.lakehouse.stack.Services.log4j2;
import static dev.lakehouse.stack.Services.write;

import dev.lakehouse.spec.Endpoints;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Flink session cluster + SQL Gateway. */
final class FlinkService extends Service {
  FlinkService() {
    super("flink", List.of("iceberg-rest"));
  }

  @Override public int port(Endpoints e) {
    return e.flink().port();
  }

  @Override public List<Integer> ports(Endpoints e) {
    return List.of(e.flink().port(), e.flink().sqlGatewayPort(), e.flink().rpcPort());
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
    // with matching JVM flags (heap = framework + task heap, direct = off-heaps + network). The network buffers are
    // allocated and touched at start: 16 MB (512 buffers) is plenty for one job of parallelism 1 whose operators
    // chain. The task heap holds the Iceberg writers' buffers until a checkpoint (~90 MB used at 5,000 changes/s).
    write(conf.resolve("config.yaml"), String.join("\n",
        "jobmanager.rpc.address: " + h,
        "jobmanager.rpc.port: " + e.flink().rpcPort(),
        "jobmanager.bind-host: " + h,
        "jobmanager.memory.heap.size: 192m",
        "jobmanager.memory.off-heap.size: 64m",
        "jobmanager.memory.jvm-metaspace.size: 192m",
        "jobmanager.memory.jvm-overhead.min: 128m",
        "jobmanager.memory.jvm-overhead.max: 128m",
        "taskmanager.bind-host: " + h,
        "taskmanager.host: " + h,
        "taskmanager.numberOfTaskSlots: 4",
        "taskmanager.cpu.cores: 2",
        "taskmanager.memory.framework.heap.size: 128m",
        "taskmanager.memory.task.heap.size: 256m",
        "taskmanager.memory.managed.size: 128m",
        "taskmanager.memory.network.min: 16m",
        "taskmanager.memory.network.max: 16m",
        "taskmanager.memory.framework.off-heap.size: 128m",
        "taskmanager.memory.task.off-heap.size: 0m",
        "taskmanager.memory.jvm-metaspace.size: 256m",
        "taskmanager.memory.jvm-overhead.min: 192m",
        "taskmanager.memory.jvm-overhead.max: 192m",
        "rest.address: " + h,
        "rest.bind-address: " + h,
        "rest.port: " + e.flink().port(),
        "sql-gateway.endpoint.rest.address: " + h,
        "sql-gateway.endpoint.rest.bind-address: " + h,
        "sql-gateway.endpoint.rest.port: " + e.flink().sqlGatewayPort(),
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
    // The JobManager only coordinates one job's checkpoints (~25 MB live) and the SQL gateway only plans and
    // submits it (~50 MB live): small heaps and the C1 compiler alone (no C2 code cache or compiler arenas) keep
    // ~250 MiB of the stack's RSS; the TaskManager runs the job and keeps both.
    for (String[] p : new String[][] {
        {"flink-jobmanager", "-Xmx192m -XX:MaxMetaspaceSize=192m -XX:MaxDirectMemorySize=64m"
            + " -XX:TieredStopAtLevel=1",
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint"},
        {"flink-taskmanager", "-Xmx384m -Xms128m -XX:MaxMetaspaceSize=256m -XX:MaxDirectMemorySize=144m",
            "org.apache.flink.runtime.taskexecutor.TaskManagerRunner"},
        {"flink-sql-gateway", "-Xmx160m -XX:+UseSerialGC -XX:TieredStopAtLevel=1",
            "org.apache.flink.table.gateway.SqlGateway"}}) {
      List<String> jvm = new ArrayList<>(List.of(p[1].split(" ")));
      jvm.addAll(JAVA_OPENS);
      jvm.add("-Dlog4j.configurationFile=" + log4j);
      jvm.add("-Dlog4j2.configurationFile=" + log4j);
      jvm.add("-Dlog.file=" + ctx.logFile(p[0]));
      String[] args = p[0].equals("flink-sql-gateway") ? new String[0] : new String[] {"--configDir", conf.toString()};
      procs.add(new ProcSpec(p[0], java(ctx, ctx.java(), jvm, cp, p[2], args),
          flinkEnv(ctx, conf), data));
    }
    return procs;
  }

  @Override public String unhealthyReason(StackContext ctx) {
    String tm = Health.http(ctx.endpoints().flink().url() + "/taskmanagers", 200, "\"id\"");
    return tm != null ? tm : Health.http(ctx.endpoints().flink().sqlGatewayUrl() + "/v1/info", 200, null);
  }

  /** The environment of Flink's processes: its config dir, and the S3 keys with {@code default-chain}. */
  private static Map<String, String> flinkEnv(StackContext ctx, Path conf) {
    Map<String, String> env = new java.util.HashMap<>(S3Service.clientEnv(ctx.endpoints()));
    env.put("FLINK_CONF_DIR", conf.toString());
    return env;
  }
}
