package dev.lakehouse.spec;

import java.util.List;

/** A spec that cannot be used: carries every problem found, each prefixed with its HOCON path. */
public class SpecException extends RuntimeException {
  private final List<String> problems;

  public SpecException(String origin, List<String> problems) {
    super(message(origin, problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }

  private static String message(String origin, List<String> problems) {
    StringBuilder sb = new StringBuilder("invalid pipeline spec (")
        .append(origin).append("): ").append(problems.size())
        .append(problems.size() == 1 ? " problem" : " problems");
    for (String p : problems) {
      sb.append("\n  - ").append(p);
    }
    return sb.toString();
  }
}
