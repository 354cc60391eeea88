package dev.lakehouse.spec;

import java.util.Locale;
import java.util.Optional;

/**
 * What a failing check does to its run (dbt's {@code severity}): {@code error} fails the asset's materialization
 * and skips its downstream models in that run; {@code warn} is reported only.
 */
public enum CheckSeverity {
  ERROR, WARN;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<CheckSeverity> parse(String label) {
    return switch (label) {
      case "error" -> Optional.of(ERROR);
      case "warn" -> Optional.of(WARN);
      default -> Optional.empty();
    };
  }
}
