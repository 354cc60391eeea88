package dev.lakehouse.stack;

import dev.lakehouse.spec.SpecLoader;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Finds the checkout (the reactor root) and the resolved service artifacts (stack/target/services). The spec
 * itself is found by {@link SpecLoader#locate}.
 */
public final class StackFiles {
  public static final String SERVICES_PROPERTY = "lakehouse.stack.services";

  private StackFiles() {}

  /** The checkout: the nearest directory containing lakehouse.conf, walking up from {@code from}; null if none. */
  public static Path reactorRoot(Path from) {
    return SpecLoader.findUpwards(from).map(Path::getParent).orElse(null);
  }

  /**
   * A factor on every service's start timeout: -Dlakehouse.stack.timeout-scale / LAKEHOUSE_STACK_TIMEOUT_SCALE, a whole
   * number from 1 (the default). On a machine whose load is far above its core count, Trino alone can take longer
   * than its three minutes to start; a test run there says so with a larger factor instead of failing at start.
   */
  public static int timeoutScale() {
    String value = firstNonBlank(System.getProperty("lakehouse.stack.timeout-scale"),
        System.getenv("LAKEHOUSE_STACK_TIMEOUT_SCALE"));
    if (value == null) {
      return 1;
    }
    try {
      int scale = Integer.parseInt(value.trim());
      if (scale >= 1) {
        return scale;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException("LAKEHOUSE_STACK_TIMEOUT_SCALE must be a whole number from 1, not '" + value
        + "'");
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
      return Paths.get(StackFiles.class.getProtectionDomain().getCodeSource().getLocation().toURI());
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
