package dev.lakehouse.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The KRaft broker: produce, then consume from the beginning. */
@ExtendWith(LakehouseStackExtension.class)
class KafkaIT {

  @Test
  void produceAndConsume(Endpoints e) throws Exception {
    Its.requires("kafka");
    String topic = "it-" + UUID.randomUUID();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, e.kafka().bootstrapServers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.ACKS_CONFIG, "all"))) {
      for (int i = 0; i < 3; i++) {
        producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get();
      }
    }
    List<String> seen = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, e.kafka().bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, topic,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
      consumer.subscribe(List.of(topic));
      long deadline = System.currentTimeMillis() + 30_000;
      while (seen.size() < 3 && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          seen.add(r.key() + "=" + r.value());
        }
      }
    }
    assertThat(seen).containsExactly("k0=v0", "k1=v1", "k2=v2");
  }

  /**
   * The real storage tool takes the arguments the stack builds even for a cluster ID starting with a dash
   * (which {@link KafkaClusterId#random()} never draws, but a parser must not misread either way).
   */
  @Test
  void storageFormatTakesAClusterIdStartingWithADash(@TempDir Path dir) throws Exception {
    Its.requires("kafka");
    StackContext ctx = LakehouseStackExtension.stack().context();
    String props = Files.readString(ctx.conf("kafka").resolve("server.properties"))
        .replaceAll("(?m)^log\\.dirs=.*$", "log.dirs=" + dir.resolve("logs"));
    Path conf = Files.writeString(dir.resolve("server.properties"), props);
    String id = KafkaClusterId.encode(new UUID(0xF800_0000_0000_0000L, 42L));
    assertThat(id).startsWith("-");

    List<String> cmd = new ArrayList<>(List.of(ctx.java().toString(), "-cp", Services.libs(ctx.service("kafka")),
        "kafka.tools.StorageTool"));
    cmd.addAll(KafkaClusterId.formatArgs(id, conf));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile())
        .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("storage tool finished").isTrue();
    assertThat(p.exitValue()).as(Files.readString(dir.resolve("out.log"))).isZero();
    assertThat(Files.readString(dir.resolve("logs/meta.properties"))).contains("cluster.id=" + id);
  }
}
