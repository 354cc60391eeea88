package dev.lakehouse.stack;

import static dev.lakehouse.stack.Services.exec;
import static dev.lakehouse.stack.Services.java;
import static dev.lakehouse.stack.Services.libs;
import static dev.lakehouse.stack.Services.log4j2;
import static dev.lakehouse.stack.Services.write;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.KafkaAuth;
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
        listeners(ctx),
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
    List<String> jvm = List.of("-Xmx256m", "-Dlog4j2.configurationFile=" + log4j,
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

  /**
   * The listener lines: PLAINTEXT, or with {@code lakehouse.security.kafka} = SASL_PLAINTEXT/PLAIN one SASL listener
   * on the Kafka port for clients and the broker itself, whose only user is the spec's (the broker logs in as it
   * too). The KRaft controller listener stays PLAINTEXT on its own loopback port.
   */
  static String listeners(StackContext ctx) {
    Endpoints e = ctx.endpoints();
    KafkaAuth auth = ctx.spec().security().kafka();
    String controller = "CONTROLLER://" + e.host() + ":" + e.kafka().controllerPort();
    if (auth.protocol() == KafkaAuth.Protocol.PLAINTEXT) {
      return String.join("\n",
          "listeners=PLAINTEXT://" + e.host() + ":" + e.kafka().port() + "," + controller,
          "advertised.listeners=PLAINTEXT://" + e.host() + ":" + e.kafka().port(),
          "controller.listener.names=CONTROLLER",
          "inter.broker.listener.name=PLAINTEXT",
          "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
    }
    if (auth.protocol() != KafkaAuth.Protocol.SASL_PLAINTEXT || !auth.mechanism().equals("PLAIN")) {
      throw new StackUsageException("the local stack's Kafka takes SASL_PLAINTEXT with mechanism PLAIN only (no TLS"
          + " listener, no SCRAM users); lakehouse.security.kafka says " + auth.protocol() + "/" + auth.mechanism());
    }
    String user = auth.username().orElseThrow();
    if (!user.matches("[A-Za-z0-9_.-]+")) {
      throw new StackUsageException("the local stack's Kafka needs a plain user name ([A-Za-z0-9_.-]+) in"
          + " lakehouse.security.kafka.username, not '" + user + "'");
    }
    return String.join("\n",
        "listeners=SASL_PLAINTEXT://" + e.host() + ":" + e.kafka().port() + "," + controller,
        "advertised.listeners=SASL_PLAINTEXT://" + e.host() + ":" + e.kafka().port(),
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=SASL_PLAINTEXT",
        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT",
        "sasl.enabled.mechanisms=PLAIN",
        "sasl.mechanism.inter.broker.protocol=PLAIN",
        // the broker's own login and its one user (user_<name>="<password>"), in this 0600 file only
        "listener.name.sasl_plaintext.plain.sasl.jaas.config=" + auth.jaasConfig().replaceFirst(";$", "")
            + " user_" + user + "=" + KafkaAuth.quoted(auth.password().orElseThrow()) + ";");
  }

  @Override public String unhealthyReason(StackContext ctx) {
    return Health.kafkaApiVersions(ctx.endpoints().host(), ctx.endpoints().kafka().port());
  }
}
