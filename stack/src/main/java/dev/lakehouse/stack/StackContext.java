package dev.lakehouse.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.function.Consumer;

/** Everything a service needs: endpoints, the state home, the resolved artifacts, a progress printer. */
public record StackContext(Endpoints endpoints, Path home, Path services, Path java, Consumer<String> out) {

  public static StackContext of(Endpoints endpoints, Path home, Path services, Consumer<String> out) {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    return new StackContext(endpoints, home.toAbsolutePath().normalize(), services.toAbsolutePath().normalize(), java, out);
  }

  /** $LAKEHOUSE_HOME/data/&lt;service&gt;, created. */
  public Path data(String service) {
    return mkdirs(home.resolve("data").resolve(service));
  }

  public Path logFile(String process) {
    return mkdirs(home.resolve("logs")).resolve(process + ".log");
  }

  public Path pidFile(String process) {
    return mkdirs(home.resolve("run")).resolve(process + ".pid");
  }

  public Path conf(String service) {
    return mkdirs(home.resolve("conf").resolve(service));
  }

  public Path service(String dir) {
    return services.resolve(dir);
  }

  /** The jar or classes dir holding our own wrapper mains (for child classpaths). */
  public Path ownCode() {
    Path p = SpecFiles.codeLocation();
    if (p == null) {
      throw new IllegalStateException("cannot locate the stack's own classes");
    }
    return p;
  }

  static Path mkdirs(Path p) {
    try {
      return Files.createDirectories(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
