package dev.lakehouse.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Finds a JDK new enough for Trino (>= 24): TRINO_JAVA_HOME, JAVA_HOME, this JVM, then /usr/lib/jvm/*. */
public final class Jdks {
  public static final int TRINO_MIN_JAVA = 24;
  private static final Pattern VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+)", Pattern.MULTILINE);

  private Jdks() {}

  public static Path findTrinoJava() {
    List<Path> candidates = new ArrayList<>();
    for (String env : new String[] {System.getenv("TRINO_JAVA_HOME"), System.getenv("JAVA_HOME"),
        System.getProperty("java.home")}) {
      if (env != null && !env.isBlank()) {
        candidates.add(Paths.get(env));
      }
    }
    Path jvmDir = Paths.get("/usr/lib/jvm");
    if (Files.isDirectory(jvmDir)) {
      try (Stream<Path> s = Files.list(jvmDir)) {
        s.filter(p -> !Files.isSymbolicLink(p))
            .sorted(Comparator.comparingInt(Jdks::major).reversed())
            .forEach(candidates::add);
      } catch (IOException e) {
        // ignore
      }
    }
    Optional<Path> home = candidates.stream()
        .filter(p -> major(p) >= TRINO_MIN_JAVA && Files.isExecutable(p.resolve("bin/java")))
        .findFirst();
    return home.map(p -> p.resolve("bin/java")).orElseThrow(() -> new IllegalStateException(
        "Trino 476 needs a JDK " + TRINO_MIN_JAVA + " or newer and none was found (looked at TRINO_JAVA_HOME, "
            + "JAVA_HOME, this JVM and /usr/lib/jvm/*/release). Install one, e.g. Temurin 25 "
            + "(apt-get install temurin-25-jdk from packages.adoptium.net), or set TRINO_JAVA_HOME."));
  }

  /** Major version from &lt;home&gt;/release, or 0. */
  public static int major(Path home) {
    try {
      Matcher m = VERSION.matcher(Files.readString(home.resolve("release")));
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
