package dev.lakehouse.stack;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Consumer;

/**
 * Everything a service needs: the spec (its endpoints are where this stack's services listen, all on the shared
 * host) and where it was read from (the worker reads the same), the state home, the resolved artifacts, a
 * progress printer.
 */
public record StackContext(PipelineSpec spec, SpecSource specSource, Path home, Path services, Path java,
    Consumer<String> out) {

  /** The spec's endpoints made {@link StackEndpoints#local local}; this JVM's java for the children. */
  public static StackContext of(PipelineSpec spec, SpecSource specSource, Path home, Path services,
      Consumer<String> out) {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    return new StackContext(spec.withEndpoints(StackEndpoints.local(spec.endpoints())), specSource,
        home.toAbsolutePath().normalize(), services.toAbsolutePath().normalize(), java, out);
  }

  public Endpoints endpoints() {
    return spec.endpoints();
  }

  /** $LAKEHOUSE_HOME/data/&lt;service&gt;, created, its owner's only (Kafka's holds Connect's connector configs). */
  public Path data(String service) {
    return ownerOnly(mkdirs(home.resolve("data").resolve(service)));
  }

  public Path logFile(String process) {
    return ownerOnly(mkdirs(home.resolve("logs"))).resolve(process + ".log");
  }

  public Path pidFile(String process) {
    return mkdirs(home.resolve("run")).resolve(process + ".pid");
  }

  /** $LAKEHOUSE_HOME/conf/&lt;service&gt;: generated configs, some with credentials; its owner's only. */
  public Path conf(String service) {
    return ownerOnly(mkdirs(ownerOnly(mkdirs(home.resolve("conf"))).resolve(service)));
  }

  /**
   * Mode 0700 (the owner stays: the root stack's data/postgres belongs to nobody, who runs PostgreSQL). The home
   * itself stays traversable, for that same PostgreSQL.
   */
  static Path ownerOnly(Path dir) {
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path service(String dir) {
    return services.resolve(dir);
  }

  /** The jar or classes dir holding our own wrapper mains (for child classpaths). */
  public Path ownCode() {
    Path p = StackFiles.codeLocation();
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
