package dev.lakehouse.stack;

import static dev.lakehouse.stack.Services.java;
import static dev.lakehouse.stack.Services.libs;

import dev.lakehouse.spec.Endpoints;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Temporal: the real dev server of the `temporal` CLI (SQLite-persisted, Web UI). Only when no CLI can be
 * found or built (no Go) does it fall back to the Java test server, and says so: in memory, no Web UI, no
 * visibility list or schedules. LAKEHOUSE_TEMPORAL=auto (default) | cli (never fall back) | test-server.
 */
final class TemporalService extends Service {
  static final String TEST_SERVER_MAIN = "dev.lakehouse.stack.services.TemporalTestServerMain";
  /** Registered at every start (an existing database keeps them; new ones are added). */
  static final List<String> SEARCH_ATTRIBUTES = List.of("LakehouseAssets=KeywordList", "LakehouseRunMode=Keyword",
      "LakehouseTrigger=Keyword");

  /** Which server `temporal` runs: {@code LAKEHOUSE_TEMPORAL}, a local-stack setting (not the pipeline's). */
  enum Mode {
    AUTO, CLI, TEST_SERVER;

    static final String ENV = "LAKEHOUSE_TEMPORAL";

    /** The value of {@code LAKEHOUSE_TEMPORAL}: unset or blank is auto. */
    static Mode parse(String value) {
      if (value == null || value.isBlank()) {
        return AUTO;
      }
      return switch (value.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
        case "auto" -> AUTO;
        case "cli" -> CLI;
        case "test-server" -> TEST_SERVER;
        default -> throw new StackUsageException(ENV + "='" + value + "' is not a Temporal mode: use auto (the"
            + " default: the temporal CLI's dev server, else the Java test server), cli or test-server");
      };
    }
  }

  private final Mode mode;

  TemporalService(Mode mode) {
    super("temporal", List.of());
    this.mode = mode;
  }

  @Override public int port(Endpoints e) {
    return e.temporal().port();
  }

  @Override public List<Integer> ports(Endpoints e) {
    return List.of(e.temporal().port(), e.temporal().uiPort(), e.temporal().httpPort(), e.temporal().metricsPort());
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
    Path cli = null;
    String why = "LAKEHOUSE_TEMPORAL=test-server";
    if (mode != Mode.TEST_SERVER) {
      try {
        cli = TemporalCli.locateOrBuild(ctx.out());
      } catch (IllegalStateException ex) {
        if (mode == Mode.CLI) {
          throw ex;
        }
        why = ex.getMessage();
      }
    }
    if (cli == null) {
      ctx.out().accept("temporal: FALLING BACK to the Java test server (io.temporal:temporal-test-server) because: "
          + why.replaceAll("[.\\s]+$", "") + ". It keeps NO history across restarts, has NO Web UI (port "
          + e.temporal().uiPort() + " stays closed) and NO workflow list/count or schedules API.");
      return List.of(new ProcSpec("temporal", java(ctx, ctx.java(), List.of("-Xmx256m"),
          libs(ctx.service("temporal-test-server")) + ":" + ctx.ownCode(), TEST_SERVER_MAIN, e.host(),
          String.valueOf(e.temporal().port())), Map.of(), data));
    }
    List<String> cmd = new ArrayList<>(List.of(cli.toString(), "server", "start-dev",
        "--ip", e.host(),
        "--port", String.valueOf(e.temporal().port()),
        "--ui-port", String.valueOf(e.temporal().uiPort()),
        "--http-port", String.valueOf(e.temporal().httpPort()),
        "--metrics-port", String.valueOf(e.temporal().metricsPort()),
        "--db-filename", data.resolve("temporal.db").toString(),
        "--namespace", e.temporal().namespace(),
        "--log-level", "warn",
        "--disable-config-file", "--disable-config-env"));
    // the materialize runs' search attributes (dev.lakehouse.workflows.RunSearchAttributes: the stack depends on
    // spec only); a server without them rejects every run, and the worker registers missing ones too
    SEARCH_ATTRIBUTES.forEach(a -> cmd.addAll(List.of("--search-attribute", a)));
    return List.of(new ProcSpec("temporal", cmd, goEnv(System.getenv()), data));
  }

  /**
   * The Go runtime's settings for the dev server: a collection when the heap has grown by half since the last
   * (GOGC 50, not 100), which keeps its RSS lower for a little more GC CPU; an operator's own GOGC wins.
   */
  static Map<String, String> goEnv(Map<String, String> inherited) {
    return inherited.containsKey("GOGC") ? Map.of() : Map.of("GOGC", GOGC);
  }

  static final String GOGC = "50";

  /** True if the running temporal process is the Java test server (read from its command line). */
  static boolean runsTestServer(StackContext ctx) {
    try {
      long pid = Long.parseLong(Files.readString(ctx.pidFile("temporal")).trim());
      return Procs.cmdline(pid).contains(TEST_SERVER_MAIN);
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }

  @Override public String unhealthyReason(StackContext ctx) {
    Endpoints e = ctx.endpoints();
    if (runsTestServer(ctx)) { // binds its port only once serving
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(e.host(), e.temporal().port()), 2000);
        return null;
      } catch (IOException ex) {
        return "test server " + e.temporal().target() + ": " + ex.getClass().getSimpleName();
      }
    }
    String ui = Health.http(e.temporal().uiUrl() + "/", 200, null);
    if (ui != null) {
      return ui;
    }
    try {
      Path cli = TemporalCli.locateOrBuild(s -> {});
      Process p = new ProcessBuilder(cli.toString(), "operator", "cluster", "health", "--address",
          e.temporal().target(), "--disable-config-file", "--disable-config-env").redirectErrorStream(true).start();
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
