package dev.lakehouse.stack;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The `temporal` CLI (which embeds the dev server and Web UI): from PATH (or LAKEHOUSE_TEMPORAL_CLI), else
 * a user-level cache (~/.cache/lakehouse/temporal-cli/&lt;version&gt;/temporal), built there once with
 * `go install github.com/temporalio/cli/cmd/temporal@&lt;version&gt;` (GOBIN = that dir). The cache is
 * shared by `./lakehouse up` and every test run, so a machine builds it once.
 */
public final class TemporalCli {
  private static volatile Path cached;

  private TemporalCli() {}

  public static String version() {
    return Services.pinned("temporal-cli.version");
  }

  public static Path cacheDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Paths.get(xdg) : Paths.get(System.getProperty("user.home"), ".cache");
    return base.resolve("lakehouse/temporal-cli").resolve(version());
  }

  public static synchronized Path locateOrBuild(Consumer<String> out) throws IOException, InterruptedException {
    if (cached != null) {
      return cached;
    }
    String explicit = System.getenv("LAKEHOUSE_TEMPORAL_CLI");
    if (explicit != null && Files.isExecutable(Paths.get(explicit))) {
      return cached = Paths.get(explicit);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Paths.get(dir.isEmpty() ? "." : dir, "temporal");
      if (Files.isExecutable(p) && !Files.isDirectory(p)) {
        return cached = p.toAbsolutePath();
      }
    }
    Path dir = cacheDir();
    Path bin = dir.resolve("temporal");
    if (Files.isExecutable(bin)) {
      return cached = bin;
    }
    Files.createDirectories(dir);
    try (RandomAccessFile raf = new RandomAccessFile(dir.resolve(".lock").toFile(), "rw");
        FileLock lock = raf.getChannel().lock()) {
      if (Files.isExecutable(bin)) {
        return cached = bin;
      }
      Path go = findGo();
      String module = "github.com/temporalio/cli/cmd/temporal@" + version();
      Path log = dir.resolve("go-install.log");
      out.accept("temporal: building the temporal CLI once with Go (" + module + " into " + dir
          + "), ~6 min and ~2 GB RAM on 2 cores; log: " + log);
      long t0 = System.nanoTime();
      ProcessBuilder pb = new ProcessBuilder(go.toString(), "install", module).redirectErrorStream(true)
          .redirectOutput(log.toFile());
      pb.environment().put("GOBIN", dir.toString());
      Process p = pb.start();
      while (!p.waitFor(30, TimeUnit.SECONDS)) {
        out.accept(String.format("temporal: still building the CLI (%d s)", (System.nanoTime() - t0) / 1_000_000_000L));
      }
      if (p.exitValue() != 0 || !Files.isExecutable(bin)) {
        throw new IllegalStateException("go install " + module + " failed (exit " + p.exitValue() + "); see " + log
            + ". Or install the temporal CLI on PATH (https://docs.temporal.io/cli).");
      }
      out.accept(String.format("temporal: CLI built in %d s", (System.nanoTime() - t0) / 1_000_000_000L));
      return cached = bin;
    }
  }

  private static Path findGo() {
    for (String dir : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/local/go/bin")
        .split(File.pathSeparator)) {
      Path p = Paths.get(dir.isEmpty() ? "." : dir, "go");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new IllegalStateException("no `temporal` CLI on PATH and no Go toolchain to build it: install Go "
        + "(https://go.dev/dl) or the temporal CLI (https://docs.temporal.io/cli)");
  }
}
