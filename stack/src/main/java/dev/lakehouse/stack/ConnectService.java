package dev.lakehouse.stack;

import static dev.lakehouse.stack.Services.java;
import static dev.lakehouse.stack.Services.libs;
import static dev.lakehouse.stack.Services.log4j2;
import static dev.lakehouse.stack.Services.write;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.KafkaAuth;
import dev.lakehouse.spec.SecuritySpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Kafka Connect + Debezium. */
final class ConnectService extends Service {
  ConnectService() {
    super("connect", List.of("kafka"));
  }

  @Override public int port(Endpoints e) {
    return e.connect().port();
  }

  @Override public List<String> processNames() {
    return List.of("connect");
  }

  @Override public List<ProcSpec> prepare(StackContext ctx) throws Exception {
    Path data = ctx.data("connect");
    Path conf = ctx.conf("connect");
    Path props = conf.resolve("connect-distributed.properties");
    write(props, workerConfig(ctx));
    Path log4j = conf.resolve("log4j2.properties");
    write(log4j, log4j2("INFO"));
    Map<String, String> env = new HashMap<>(ctx.spec().security().kafka().connectEnvironment());
    env.put(SecuritySpec.REPLICATION_PASSWORD_ENV, ctx.spec().security().replication().password());
    return List.of(new ProcSpec("connect", java(ctx, ctx.java(), List.of("-Xmx256m",
        "-Dlog4j2.configurationFile=" + log4j), libs(ctx.service("kafka")),
        "org.apache.kafka.connect.cli.ConnectDistributed", props.toString()), env, data));
  }

  /**
   * {@code connect-distributed.properties}. With {@code lakehouse.security.kafka} set, the worker's own clients
   * (group membership, config/offset/status topics) and the clients it makes for connectors ({@code producer.},
   * {@code consumer.}, {@code admin.}) log in to Kafka and trust its CA; their JAAS line (and a trust store's
   * password) is a reference to this process's environment ({@link KafkaAuth#JAAS_CONFIG_REFERENCE}), so this file
   * holds no Kafka password.
   */
  static String workerConfig(StackContext ctx) {
    Endpoints e = ctx.endpoints();
    KafkaAuth kafka = ctx.spec().security().kafka();
    List<String> lines = new ArrayList<>(List.of(
        "bootstrap.servers=" + e.kafka().bootstrapServers(),
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
        // the records the producer has not yet sent stay on Connect's heap twice (serialized in this buffer, and as
        // the source records kept for their offsets): at the default 32 MiB the 5,000 changes/s step filled a
        // 256 MB heap with 40,000 of them and Connect collected in full back to back; 8 MiB is 500 batches
        "producer.buffer.memory=" + (8 << 20),
        "listeners=http://" + e.host() + ":" + e.connect().port(),
        "rest.advertised.host.name=" + e.host(),
        "rest.advertised.port=" + e.connect().port(),
        "plugin.path=" + ctx.service("connect-plugins"),
        "plugin.discovery=service_load",
        // connector configs name the replication password (and this file and connector configs the Kafka JAAS line)
        // instead of holding it (docs/security.md); the allowlist keeps connectors from reading any other variable
        "config.providers=env",
        "config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider",
        "config.providers.env.param.allowlist.pattern=^(" + String.join("|", allowed(kafka)) + ")$"));
    for (String prefix : List.of("", "producer.", "consumer.", "admin.")) {
      kafka.connectProperties(prefix).forEach((k, v) -> lines.add(k + "=" + v));
    }
    lines.add("");
    return String.join("\n", lines);
  }

  /** The variables connectors may read: the replication password, and the Kafka login's secrets, if any. */
  static List<String> allowed(KafkaAuth kafka) {
    List<String> names = new ArrayList<>(List.of(SecuritySpec.REPLICATION_PASSWORD_ENV));
    names.addAll(kafka.connectEnvironment().keySet());
    return names;
  }

  @Override public String unhealthyReason(StackContext ctx) {
    String health = Health.http(ctx.endpoints().connect().url() + "/health", 200, null);
    return health != null ? health : Health.http(ctx.endpoints().connect().url() + "/connector-plugins", 200,
        "PostgresConnector");
  }
}
