package dev.lakehouse.stack;

import static dev.lakehouse.stack.Services.exec;
import static dev.lakehouse.stack.Services.java;
import static dev.lakehouse.stack.Services.libs;
import static dev.lakehouse.stack.Services.log4j2;
import static dev.lakehouse.stack.Services.write;

import dev.lakehouse.spec.Endpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Kafka (KRaft, broker + controller). */
final class KafkaService extends Service {
  KafkaService() {
    super("kafka", List.of());
  }

  @Override public int port(Endpoints e) {
    return e.kafka().port();
  }

  @Override public List<Integer> ports(Endpoints e) {
    return List.of(e.kafka().port(), e.kafka().controllerPort());
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
        "controller.quorum.voters=1@" + e.host() + ":" + e.kafka().controllerPort(),
        "listeners=PLAINTEXT://" + e.host() + ":" + e.kafka().port() + ",CONTROLLER://" + e.host() + ":"
            + e.kafka().controllerPort(),
        "advertised.listeners=PLAINTEXT://" + e.host() + ":" + e.kafka().port(),
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
      List<String> format = KafkaClusterId.formatArgs(KafkaClusterId.random(), props);
      int rc = exec(ctx.logFile("kafka"), java(ctx, ctx.java(), jvm, cp, "kafka.tools.StorageTool",
          format.toArray(String[]::new)), Map.of(), 120);
      if (rc != 0) {
        throw new IllegalStateException("kafka storage format failed (exit " + rc + "); see " + ctx.logFile("kafka"));
      }
    }
    return List.of(new ProcSpec("kafka", java(ctx, ctx.java(), jvm, cp, "kafka.Kafka", props.toString()),
        Map.of(), data));
  }

  @Override public String unhealthyReason(StackContext ctx) {
    return Health.kafkaApiVersions(ctx.endpoints().host(), ctx.endpoints().kafka().port());
  }
}
