package dev.lakehouse.stack;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Finds lakehouse.conf, the reactor root and the resolved service artifacts (stack/target/services). */
public final class SpecFiles {
  public static final String SERVICES_PROPERTY = "lakehouse.stack.services";

  private SpecFiles() {}

  /** LAKEHOUSE_SPEC (or -Dlakehouse.spec), else lakehouse.conf in the working dir or a parent; null if none. */
  public static Path locateSpec() {
    String explicit = firstNonBlank(System.getProperty("lakehouse.spec"), System.getenv("LAKEHOUSE_SPEC"));
    if (explicit != null) {
      return Paths.get(explicit).toAbsolutePath();
    }
    Path root = reactorRoot(Paths.get("").toAbsolutePath());
    return root == null ? null : root.resolve("lakehouse.conf");
  }

  /** The nearest directory containing lakehouse.conf, walking up from {@code from}. */
  public static Path reactorRoot(Path from) {
    for (Path p = from; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("lakehouse.conf"))) {
        return p;
      }
    }
    return null;
  }

  /**
   * The services directory: -Dlakehouse.stack.services / LAKEHOUSE_STACK_SERVICES, else next to this
   * code when it runs from stack/target (classes or jar), else stack/target/services of the reactor root.
   */
  public static Path locateServices() {
    String explicit = firstNonBlank(System.getProperty(SERVICES_PROPERTY), System.getenv("LAKEHOUSE_STACK_SERVICES"));
    if (explicit != null) {
      return Paths.get(explicit).toAbsolutePath();
    }
    Path code = codeLocation();
    if (code != null && code.getParent() != null) {
      Path candidate = code.getParent().resolve("services");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    for (Path start : new Path[] {Paths.get("").toAbsolutePath(), code}) {
      Path root = start == null ? null : reactorRoot(start);
      if (root != null && Files.isDirectory(root.resolve("stack/target/services"))) {
        return root.resolve("stack/target/services");
      }
    }
    throw new IllegalStateException("cannot find the stack services (stack/target/services): build the stack module"
        + " first (./mvnw -B -pl stack package -DskipTests) or set -D" + SERVICES_PROPERTY + "=<dir>");
  }

  /** The jar or classes directory this class was loaded from. */
  public static Path codeLocation() {
    try {
      return Paths.get(SpecFiles.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  static String firstNonBlank(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }
}
