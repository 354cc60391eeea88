package dev.lakehouse.stack;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Temporal dev server (Go CLI). */
final class TemporalService extends Service {
  TemporalService() {
    super("temporal", List.of());
  }

  @Override public int port(Endpoints e) {
    return e.temporalPort();
  }

  @Override public List<Integer> ports(Endpoints e) {
    return List.of(e.temporalPort(), e.temporalUiPort(), e.temporalHttpPort(), e.temporalMetricsPort());
  }

  @Override public List<String> processNames() {
    return List.of("temporal");
  }

  @Override public int timeoutSeconds() {
    return 90;
  }

  @Override public List<ProcSpec> prepare(StackContext ctx) throws Exception {
    Endpoints e = ctx.endpoints();
    Path data = ctx.data("temporal");
    Path cli = TemporalCli.locateOrBuild(ctx.out());
    List<String> cmd = List.of(cli.toString(), "server", "start-dev",
        "--ip", e.host(),
        "--port", String.valueOf(e.temporalPort()),
        "--ui-port", String.valueOf(e.temporalUiPort()),
        "--http-port", String.valueOf(e.temporalHttpPort()),
        "--metrics-port", String.valueOf(e.temporalMetricsPort()),
        "--db-filename", data.resolve("temporal.db").toString(),
        "--namespace", e.temporalNamespace(),
        "--log-level", "warn",
        "--disable-config-file", "--disable-config-env");
    return List.of(new ProcSpec("temporal", cmd, Map.of(), data));
  }

  @Override public String unhealthyReason(StackContext ctx) {
    Endpoints e = ctx.endpoints();
    String ui = Health.http(e.temporalUiUrl() + "/", 200, null);
    if (ui != null) {
      return ui;
    }
    try {
      Path cli = TemporalCli.locateOrBuild(s -> {});
      Process p = new ProcessBuilder(cli.toString(), "operator", "cluster", "health", "--address",
          e.temporalTarget(), "--disable-config-file", "--disable-config-env").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "temporal operator cluster health timed out";
      }
      return p.exitValue() == 0 && out.contains("SERVING") ? null : "cluster health: " + out.trim();
    } catch (Exception ex) {
      return "cluster health: " + ex.getMessage();
    }
  }
}
