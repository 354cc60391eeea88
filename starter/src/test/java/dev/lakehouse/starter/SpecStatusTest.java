package dev.lakehouse.starter;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.temporal.api.taskqueue.v1.PollerInfo;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpecStatusTest {
  static PollerInfo poller(String identity, long seconds) {
    return PollerInfo.newBuilder().setIdentity(identity).setLastAccessTime(Timestamp.newBuilder().setSeconds(seconds))
        .build();
  }

  @Test
  void theNewestPollerOfALakehouseWorkerSaysWhichSpecRuns() {
    assertThat(SpecStatus.newest(List.of(poller("12@host spec aaaaaaaa", 100), poller("34@host spec bbbbbbbb", 160),
        poller("56@host", 200)))).contains("bbbbbbbb");
    assertThat(SpecStatus.newest(List.of(poller("56@host", 200)))).isEmpty();
  }

  @Test
  void theLineSaysWhetherTheFileDiffers() {
    assertThat(new SpecStatus.Versions(Optional.of("a1b2c3d4"), "e5f6a7b8", null).line("lakehouse"))
        .isEqualTo("spec: a1b2c3d4 (file differs: run `lakehouse apply --dry-run`)");
    assertThat(new SpecStatus.Versions(Optional.of("a1b2c3d4"), "a1b2c3d4", null).line("lakehouse"))
        .isEqualTo("spec: a1b2c3d4 (the spec file's)");
    assertThat(new SpecStatus.Versions(Optional.empty(), "a1b2c3d4", null).line("lakehouse"))
        .isEqualTo("spec: a1b2c3d4 in the file; which runs is unknown (no worker polls task queue lakehouse)");
  }
}
