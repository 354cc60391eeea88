package dev.lakehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {
  @Test
  void writesTheThreeChartsAsPngs(@TempDir Path dir) throws Exception {
    List<Path> files = Charts.write(ResultsWriterTest.report(), dir);
    assertThat(files).extracting(p -> p.getFileName().toString())
        .containsExactly("freshness-over-time.png", "cost-vs-history.png", "throughput.png");
    for (Path f : files) {
      BufferedImage img = ImageIO.read(f.toFile());
      assertThat(img.getWidth()).isEqualTo(Charts.WIDTH);
      assertThat(img.getHeight()).isEqualTo(Charts.HEIGHT);
    }
  }

  /** {@code --only incremental}: no freshness phase, only the cost chart. */
  @Test
  void onlyTheIncrementalPhase(@TempDir Path dir) throws Exception {
    Report r = ResultsWriterTest.report();
    Report incrementalOnly = new Report(r.startedAt(), false, 1, r.machine(), r.stack(), null, null, null,
        r.incremental(), null, List.of());
    assertThat(Charts.write(incrementalOnly, dir)).extracting(p -> p.getFileName().toString())
        .containsExactly("cost-vs-history.png");
  }
}
