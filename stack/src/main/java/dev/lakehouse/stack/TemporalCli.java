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
 * The `temporal` CLI (which embeds the dev server and its Web UI): LAKEHOUSE_TEMPORAL_CLI, else `temporal`
 * on PATH, else {@code .lakehouse/bin/temporal} of the checkout, built there once with
 * {@code go install github.com/temporalio/cli/cmd/temporal@<pinned>}. `./lakehouse up` and every test run
 * of the checkout share that binary, so a machine builds it once; `down --purge` keeps it.
 */
public final class TemporalCli {
  private static volatile Path cached;

  private TemporalCli() {}

  public static String version() {
    return Services.pinned("temporal-cli.version");
  }

  /** $LAKEHOUSE_HOME/bin, else .lakehouse/bin of the checkout (the dir holding lakehouse.conf). */
  public static Path binDir() {
    String home = System.getenv("LAKEHOUSE_HOME");
    if (home != null && !home.isBlank()) {
      return Paths.get(home, "bin").toAbsolutePath();
    }
    Path root = StackFiles.reactorRoot(Paths.get("").toAbsolutePath());
    if (root == null && StackFiles.codeLocation() != null) {
      root = StackFiles.reactorRoot(StackFiles.codeLocation());
    }
    if (root == null) {
      throw new IllegalStateException("cannot place the temporal CLI: set LAKEHOUSE_HOME or run inside the checkout");
    }
    return root.resolve(".lakehouse/bin");
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
    Path dir = binDir();
    Path bin = dir.resolve("temporal");
    if (Files.isExecutable(bin)) {
      return cached = bin;
    }
    Files.createDirectories(dir);
    // a test run and `./lakehouse up` may race to build it: one builds, the other waits
    try (RandomAccessFile raf = new RandomAccessFile(dir.resolve(".temporal-build.lock").toFile(), "rw");
        FileLock lock = raf.getChannel().lock()) {
      if (Files.isExecutable(bin)) {
        return cached = bin;
      }
      Path go = findGo();
      String module = "github.com/temporalio/cli/cmd/temporal@" + version();
      Path log = dir.resolve("go-install.log");
      out.accept("temporal: building the temporal CLI once with Go (" + module + " into " + dir
          + "), several minutes on 2 cores; log: " + log);
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
            + ". Or put the temporal CLI on PATH (https://docs.temporal.io/cli).");
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
