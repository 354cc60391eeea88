package dev.lakehouse.stack;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The KRaft cluster ID given to {@code kafka-storage format}, and the arguments that pass it.
 *
 * <p>An ID is 16 random bytes in URL-safe Base64 without padding, as Kafka's own {@code Uuid.randomUuid()}
 * makes it, and like it we draw again when the text starts with {@code -}: the storage tool's argument parser
 * would read such a value as an option. The arguments also use the {@code --name=value} form, so no value can
 * be taken for an option even if one did start with a dash.
 */
final class KafkaClusterId {
  private KafkaClusterId() {}

  static String random() {
    return random(UUID::randomUUID);
  }

  static String random(Supplier<UUID> uuids) {
    while (true) {
      String id = encode(uuids.get());
      if (!id.startsWith("-")) {
        return id;
      }
    }
  }

  static String encode(UUID u) {
    ByteBuffer b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  /** The arguments of {@code kafka.tools.StorageTool} that format an empty log dir for this cluster. */
  static List<String> formatArgs(String clusterId, Path serverProperties) {
    return List.of("format", "--cluster-id=" + clusterId, "--config=" + serverProperties, "--ignore-formatted");
  }
}
