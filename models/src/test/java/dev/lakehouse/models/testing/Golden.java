package dev.lakehouse.models.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Golden files under {@code src/test/resources/golden/} of the module whose tests run (models, activities: it
 * comes to the latter in models' test-jar). Run with {@code -Dgolden.update=true} to rewrite them from the current
 * output, then review the diff with git before committing.
 */
public final class Golden {
  private Golden() {}

  public static void assertMatches(String name, String actual) {
    if (Boolean.getBoolean("golden.update")) {
      Path file = Paths.get("src/test/resources/golden", name);
      try {
        Files.createDirectories(file.getParent());
        Files.writeString(file, actual, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new AssertionError("cannot write golden file " + file, e);
      }
      return;
    }
    try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
      assertThat(in).as("golden file golden/%s (create it with -Dgolden.update=true)", name).isNotNull();
      String expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(actual).as("golden/%s (rewrite with -Dgolden.update=true if the change is intended)", name)
          .isEqualTo(expected);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
