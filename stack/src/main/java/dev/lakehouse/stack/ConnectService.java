package dev.lakehouse.stack;

import static dev.lakehouse.stack.Services.java;
import static dev.lakehouse.stack.Services.libs;
import static dev.lakehouse.stack.Services.log4j2;
import static dev.lakehouse.stack.Services.write;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.SecuritySpec;
import java.nio.file.Path;
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
    KafkaService.requirePlaintext(ctx, "Kafka Connect");
    Endpoints e = ctx.endpoints();
    Path data = ctx.data("connect");
    Path conf = ctx.conf("connect");
    Path props = conf.resolve("connect-distributed.properties");
    write(props, String.join("\n",
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
        "listeners=http://" + e.host() + ":" + e.connect().port(),
        "rest.advertised.host.name=" + e.host(),
        "rest.advertised.port=" + e.connect().port(),
        "plugin.path=" + ctx.service("connect-plugins"),
        "plugin.discovery=service_load",
        // connector configs name the replication password instead of holding it (docs/security.md); the
        // allowlist keeps connectors from reading any other variable of this process
        "config.providers=env",
        "config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider",
        "config.providers.env.param.allowlist.pattern=^" + SecuritySpec.REPLICATION_PASSWORD_ENV + "$",
        ""));
    Path log4j = conf.resolve("log4j2.properties");
    write(log4j, log4j2("INFO"));
    return List.of(new ProcSpec("connect", java(ctx, ctx.java(), List.of("-Xmx512m", "-Xms128m",
        "-Dlog4j2.configurationFile=" + log4j), libs(ctx.service("kafka")),
        "org.apache.kafka.connect.cli.ConnectDistributed", props.toString()),
        Map.of(SecuritySpec.REPLICATION_PASSWORD_ENV, ctx.spec().security().replication().password()), data));
  }

  @Override public String unhealthyReason(StackContext ctx) {
    String health = Health.http(ctx.endpoints().connect().url() + "/health", 200, null);
    return health != null ? health : Health.http(ctx.endpoints().connect().url() + "/connector-plugins", 200,
        "PostgresConnector");
  }
}
