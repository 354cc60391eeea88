package dev.lakehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Temporal Web UI of the stack shows the lakehouse workflows: headless Chromium (Debian's `chromium`) renders
 * the workflow list filtered on `materializer`, the DOM must name it, and a screenshot goes to
 * target/temporal-ui.png (docs/img/temporal-ui.png in the README is a copy of one). Skipped, and says so, when no
 * chromium is installed.
 */
@Order(5)
@ExtendWith(LakehouseStackExtension.class)
class WebUiScreenshotIT {

  @Test
  void webUiListsTheMaterializer(Endpoints e) throws Exception {
    Path chromium = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser").map(Path::of)
        .filter(Files::isExecutable).findFirst().orElse(null);
    assumeTrue(chromium != null, "no chromium installed (Debian: apt-get install chromium)");
    String url = e.temporal().uiUrl() + "/namespaces/default/workflows";
    String dom = chrome(chromium, "--dump-dom", url);
    assertThat(dom).contains("materializer").contains("MaterializerWorkflow");
    Path shot = Path.of("target/temporal-ui.png").toAbsolutePath();
    Files.deleteIfExists(shot);
    chrome(chromium, "--screenshot=" + shot, url);
    assertThat(shot).exists();
    assertThat(Files.size(shot)).isGreaterThan(10_000);
    System.out.println("Temporal Web UI screenshot: " + shot);
  }

  private static String chrome(Path chromium, String action, String url) throws Exception {
    Path profile = Files.createTempDirectory("e2e-chromium");
    List<String> cmd = List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1600,1000",
        "--virtual-time-budget=20000", action, url);
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    return out;
  }
}
