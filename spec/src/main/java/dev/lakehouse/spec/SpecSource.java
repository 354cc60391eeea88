package dev.lakehouse.spec;

import java.nio.file.Path;
import java.util.Optional;

/** Where a spec comes from: a file, or (when {@code file} is empty) the lakehouse.conf bundled in the spec jar. */
public record SpecSource(Optional<Path> file) {

  public static SpecSource file(Path file) {
    return new SpecSource(Optional.of(file));
  }

  public static SpecSource bundled() {
    return new SpecSource(Optional.empty());
  }

  /** The file's path, or {@code classpath:lakehouse.conf}: what messages name. */
  public String origin() {
    return file.map(Path::toString).orElse("classpath:" + SpecLoader.RESOURCE);
  }
}
