package dev.lakehouse.spec;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import java.util.List;

/**
 * A spec that cannot be used: carries every problem found, each prefixed with its HOCON path. One problem makes
 * a one-line message; several make a header line and one line each.
 */
public class SpecException extends RuntimeException {
  private final List<String> problems;

  public SpecException(String origin, List<String> problems) {
    super(message(origin, problems));
    this.problems = List.copyOf(problems);
  }

  /** A file that is no HOCON: names the file and line, and what is wrong there. */
  static SpecException syntax(String origin, ConfigException e) {
    ConfigOrigin where = e.origin();
    String detail = e.getMessage();
    if (where != null && detail.startsWith(where.description() + ": ")) {
      detail = detail.substring(where.description().length() + 2);
    }
    String file = where == null || where.filename() == null || where.filename().equals(origin) ? ""
        : " in " + where.filename(); // an included file
    String line = where != null && where.lineNumber() > 0 ? " at line " + where.lineNumber() : "";
    return new SpecException(origin, List.of("syntax error" + file + line + ": " + detail));
  }

  public List<String> problems() {
    return problems;
  }

  private static String message(String origin, List<String> problems) {
    if (problems.size() == 1) {
      return "invalid pipeline spec (" + origin + "): " + problems.get(0);
    }
    StringBuilder sb = new StringBuilder("invalid pipeline spec (")
        .append(origin).append("): ").append(problems.size()).append(" problems");
    for (String p : problems) {
      sb.append("\n  - ").append(p);
    }
    return sb.toString();
  }
}
