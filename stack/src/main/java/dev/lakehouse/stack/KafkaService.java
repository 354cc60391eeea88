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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Kafka (KRaft, broker + controller), PLAINTEXT or with the listener of {@code lakehouse.security.kafka}. */
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
    KafkaAuth auth = ctx.spec().security().kafka();
    Path data = ctx.data("kafka");
    Path conf = ctx.conf("kafka");
    Path props = conf.resolve("server.properties");
    checkSupported(ctx);
    KafkaTls.BrokerTls tls = auth.protocol().tls() ? KafkaTls.generate(ctx) : null;
    write(props, String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@" + e.host() + ":" + e.kafka().controllerPort(),
        listeners(ctx, tls),
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
        // the log cleaner of the compacted topics (Connect's, the consumer offsets) holds a key map of this size on
        // the heap from the start: 128 MiB by default, which was most of the broker's live heap; these topics have
        // few keys, and a larger segment is cleaned in several passes
        "log.cleaner.dedupe.buffer.size=" + (16 << 20),
        ""));
    Path log4j = conf.resolve("log4j2.properties");
    write(log4j, log4j2("INFO"));
    List<String> jvm = List.of("-Xmx192m", "-Dlog4j2.configurationFile=" + log4j,
        "-Dkafka.logs.dir=" + data);
    String cp = libs(ctx.service("kafka"));
    Path scramUser = data.resolve("scram-user"); // which SCRAM user the format added (no secret)
    String scram = KafkaScram.on(auth) ? auth.mechanism() + " " + auth.username().orElseThrow() : "";
    if (!Files.isRegularFile(data.resolve("logs/meta.properties"))) {
      List<String> format = new ArrayList<>(List.of("kafka.tools.StorageTool"));
      format.addAll(KafkaClusterId.formatArgs(KafkaClusterId.random(), props));
      if (KafkaScram.on(auth)) {
        format.add("--add-scram=" + KafkaScram.credential(auth));
      }
      // java @file: the SCRAM credential stays out of argv (KafkaScram)
      Path args = KafkaScram.argFile(conf.resolve("format.args"), format);
      int rc;
      try {
        rc = exec(ctx.logFile("kafka"), java(ctx, ctx.java(), jvm, cp, "@" + args), Map.of(), 120);
      } finally {
        Files.deleteIfExists(args);
      }
      if (rc != 0) {
        throw new IllegalStateException("kafka storage format failed (exit " + rc + "); see " + ctx.logFile("kafka"));
      }
      write(scramUser, scram);
    } else if (!scram.isEmpty() && !(Files.isRegularFile(scramUser) && Files.readString(scramUser).equals(scram))) {
      throw new StackUsageException("the local Kafka's data (" + data + ") was formatted without the SCRAM user "
          + scram + " of lakehouse.security.kafka; the stack adds it when it formats an empty data dir only: stop the"
          + " stack and delete " + data + " (its topics go with it), or add the user on the broker yourself"
          + " (kafka-configs --alter --entity-type users, docs/security.md) and write '" + scram + "' to " + scramUser);
    }
    return List.of(new ProcSpec("kafka", java(ctx, ctx.java(), jvm, cp, "kafka.Kafka", props.toString()),
        Map.of(), data));
  }

  /** One line for what the local Kafka cannot serve: a SASL user name that is not plain (JAAS and SCRAM keys). */
  static void checkSupported(StackContext ctx) {
    KafkaAuth auth = ctx.spec().security().kafka();
    String user = auth.username().orElse("");
    if (auth.protocol().sasl() && !user.matches("[A-Za-z0-9_.-]+")) {
      throw new StackUsageException("the local stack's Kafka needs a plain user name ([A-Za-z0-9_.-]+) in"
          + " lakehouse.security.kafka.username, not '" + user + "'");
    }
  }

  /**
   * The listener lines: PLAINTEXT, or the protocol of {@code lakehouse.security.kafka} on one listener on the Kafka
   * port for clients and the broker itself. With SASL, the spec's mechanism only, and the broker logs in as the
   * spec's user: with PLAIN that user is the listener's only one ({@code user_<name>="<password>"}, in this 0600 file
   * only); with SCRAM its credential is in the cluster's metadata ({@link KafkaScram}). With TLS ({@code tls}, from
   * {@link KafkaTls#generate}), the broker's key store and the CA it trusts as a client; no client certificates. The
   * KRaft controller listener stays PLAINTEXT on its own loopback port.
   */
  static String listeners(StackContext ctx, KafkaTls.BrokerTls tls) {
    Endpoints e = ctx.endpoints();
    KafkaAuth auth = ctx.spec().security().kafka();
    String name = auth.protocol().name();
    String controller = "CONTROLLER://" + e.host() + ":" + e.kafka().controllerPort();
    List<String> lines = new ArrayList<>(List.of(
        "listeners=" + name + "://" + e.host() + ":" + e.kafka().port() + "," + controller,
        "advertised.listeners=" + name + "://" + e.host() + ":" + e.kafka().port(),
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=" + name,
        "listener.security.protocol.map=CONTROLLER:PLAINTEXT," + name + ":" + name));
    if (auth.protocol().sasl()) {
      checkSupported(ctx);
      String mechanism = auth.mechanism();
      String jaas = auth.jaasConfig();
      if (mechanism.equals("PLAIN")) {
        jaas = jaas.replaceFirst(";$", "") + " user_" + auth.username().orElseThrow() + "="
            + KafkaAuth.quoted(auth.password().orElseThrow()) + ";";
      }
      lines.addAll(List.of(
          "sasl.enabled.mechanisms=" + mechanism,
          "sasl.mechanism.inter.broker.protocol=" + mechanism,
          "listener.name." + name.toLowerCase(Locale.ROOT) + "." + mechanism.toLowerCase(Locale.ROOT)
              + ".sasl.jaas.config=" + jaas));
    }
    if (auth.protocol().tls()) {
      if (tls == null) {
        throw new IllegalStateException("a TLS listener without the broker's key store");
      }
      lines.addAll(List.of(
          "ssl.keystore.type=PKCS12",
          "ssl.keystore.location=" + tls.keystore(),
          "ssl.keystore.password=" + tls.password(),
          "ssl.key.password=" + tls.password(),
          "ssl.truststore.type=PEM",
          "ssl.truststore.location=" + tls.ca(),
          "ssl.client.auth=none"));
    }
    return String.join("\n", lines);
  }

  @Override public String unhealthyReason(StackContext ctx) {
    if (ctx.spec().security().kafka().protocol().tls()) {
      javax.net.ssl.SSLContext ssl = KafkaTls.probeContext(ctx);
      if (ssl == null) {
        return "kafka: no TLS CA yet under " + ctx.home().resolve("conf/kafka/tls");
      }
      return Health.kafkaApiVersions(ctx.endpoints().host(), ctx.endpoints().kafka().port(), ssl);
    }
    return Health.kafkaApiVersions(ctx.endpoints().host(), ctx.endpoints().kafka().port());
  }
}
