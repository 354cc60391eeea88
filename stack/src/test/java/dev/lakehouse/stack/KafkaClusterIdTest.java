package dev.lakehouse.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KafkaClusterIdTest {

  /** A UUID whose first six bits are 111110 (Base64 index 62, '-' in the URL-safe alphabet). */
  private static final UUID DASH_FIRST = new UUID(0xF800_0000_0000_0000L, 1L);

  @Test
  void aDrawnIdNeverStartsWithADashAndIsSixteenBytes() {
    for (int i = 0; i < 200_000; i++) {
      String id = KafkaClusterId.random();
      assertThat(id).doesNotStartWith("-").hasSize(22);
      assertThat(Base64.getUrlDecoder().decode(id)).hasSize(16);
    }
  }

  @Test
  void anIdStartingWithADashIsDrawnAgain() {
    assertThat(KafkaClusterId.encode(DASH_FIRST)).startsWith("-");
    Deque<UUID> draws = new ArrayDeque<>(List.of(DASH_FIRST, DASH_FIRST, new UUID(1L, 2L)));
    String id = KafkaClusterId.random(draws::pop);
    assertThat(id).isEqualTo(KafkaClusterId.encode(new UUID(1L, 2L)));
    assertThat(draws).isEmpty();
  }

  @Test
  void everyValueIsAttachedToItsOption() {
    Path props = Path.of("/tmp/-conf/server.properties");
    for (String id : List.of(KafkaClusterId.random(), KafkaClusterId.encode(DASH_FIRST))) {
      List<String> args = KafkaClusterId.formatArgs(id, props);
      assertThat(args).containsExactly("format", "--cluster-id=" + id, "--config=" + props, "--ignore-formatted");
      // no argument is a bare value that a parser could take for an option
      assertThat(args.subList(1, args.size())).allMatch(a -> a.startsWith("--"));
    }
  }
}
