package dev.lakehouse.console;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecException;
import dev.lakehouse.spec.SpecLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code java -jar console/target/lakehouse-console.jar}: the asset console on {@code lakehouse.endpoints.console}
 * (127.0.0.1:3030), the spec found as the worker finds it. {@code ./lakehouse up} runs it as a process of its own,
 * so it keeps answering while the worker is down. Exit codes: 2 bad spec, 3 the port is taken.
 */
public final class ConsoleMain {
  /** The line {@code ./lakehouse up} waits for. */
  public static final String READY_LINE = "console listening on";

  private ConsoleMain() {}

  public static void main(String[] args) {
    int code = run(System.getenv(), System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  static int run(Map<String, String> env, PrintStream out, PrintStream err) {
    PipelineSpec spec;
    try {
      spec = SpecLoader.load(env, Map.of());
    } catch (SpecException | IllegalArgumentException e) {
      err.println("lakehouse console: " + e.getMessage());
      return 2;
    }
    AtomicInteger n = new AtomicInteger();
    // not bounded: a read left hung on a dead service keeps its thread, later reads need new ones
    ExecutorService pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "console-read-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    ConsoleServer server = new ConsoleServer(spec, pool, mermaidVersion());
    try {
      int port = server.start();
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "console-stop"));
      warmUp("http://" + spec.endpoints().console().host() + ":" + port);
      out.println(READY_LINE + " http://" + spec.endpoints().console().host() + ":" + port);
      return 0;
    } catch (RuntimeException e) {
      err.println("lakehouse console: cannot listen on " + spec.endpoints().console().url() + " ("
          + e.getMessage() + "). Is another console running? Change lakehouse.endpoints.console.port"
          + " (LAKEHOUSE_CONSOLE_PORT).");
      server.close();
      return 3;
    }
  }

  /**
   * Serves every page once before saying it listens: the first request of a cold JVM loads Jetty's, Jackson's and
   * the templates' classes, seconds on a busy machine, which would break the one-second answer of the first user.
   */
  static void warmUp(String base) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    for (String path : List.of("/assets", "/api/assets", "/runs", "/ingestion", "/api/runs", "/api/health")) {
      try {
        http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.discarding());
      } catch (IOException e) {
        return; // it will answer the users all the same, only slower at first
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The Mermaid webjar's version, written into console.properties at build time. */
  public static String mermaidVersion() {
    Properties p = new Properties();
    try (InputStream in = ConsoleMain.class.getResourceAsStream("/console.properties")) {
      p.load(in);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("console.properties missing from the console jar: rebuild it", e);
    }
    return p.getProperty("mermaid.version");
  }
}
