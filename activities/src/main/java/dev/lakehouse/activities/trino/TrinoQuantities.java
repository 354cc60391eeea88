package dev.lakehouse.activities.trino;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The quantities Trino's REST API ({@code /v1/query}) prints as text, airlift's {@code Duration} and
 * {@code DataSize}, as numbers: what the benchmarks and the reliability suite read of the queries Trino ran.
 */
public final class TrinoQuantities {
  private static final Pattern DURATION = Pattern.compile("([0-9.]+)\\s*(ns|us|ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("([0-9.]+)\\s*(B|kB|MB|GB|TB|PB)");

  private TrinoQuantities() {}

  /** airlift Duration text ("1.50s", "250.00ms", "2.00m") in seconds; 0 for text that is not one. */
  public static double seconds(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      return 0;
    }
    double v = Double.parseDouble(m.group(1));
    return v * switch (m.group(2)) {
      case "ns" -> 1e-9;
      case "us" -> 1e-6;
      case "ms" -> 1e-3;
      case "s" -> 1;
      case "m" -> 60;
      case "h" -> 3600;
      default -> 86400;
    };
  }

  /** airlift DataSize text ("0B", "12.5kB", "1.20MB") in bytes (powers of 1024, as airlift); 0 for other text. */
  public static double bytes(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      return 0;
    }
    int power = switch (m.group(2)) {
      case "B" -> 0;
      case "kB" -> 1;
      case "MB" -> 2;
      case "GB" -> 3;
      case "TB" -> 4;
      default -> 5;
    };
    return Double.parseDouble(m.group(1)) * Math.pow(1024, power);
  }
}
