package dev.lakehouse.spec.usermodels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of a user models directory, read once when the spec loads (the only I/O of user models: the
 * {@code models} and {@code workflows} modules get the texts). {@code .sql} files are models, {@code .yml} /
 * {@code .yaml} files their docs (dbt's {@code schema.yml}). Paths are relative to the directory, with {@code /}.
 */
public record UserModelFiles(Path directory, List<File> models, List<File> docs) {
  /** One file: its path relative to the directory ({@code marts/user_balances.sql}) and its text. */
  public record File(String path, String text) {}

  public UserModelFiles {
    models = List.copyOf(models);
    docs = List.copyOf(docs);
  }

  public static UserModelFiles read(Path directory) {
    List<File> models = new ArrayList<>();
    List<File> docs = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(directory)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        String rel = directory.relativize(p).toString().replace('\\', '/');
        if (rel.endsWith(".sql")) {
          models.add(new File(rel, Files.readString(p, StandardCharsets.UTF_8)));
        } else if (rel.endsWith(".yml") || rel.endsWith(".yaml")) {
          docs.add(new File(rel, Files.readString(p, StandardCharsets.UTF_8)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the user models directory " + directory + ": " + e.getMessage(), e);
    }
    return new UserModelFiles(directory, models, docs);
  }
}
