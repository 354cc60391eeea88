package dev.lakehouse.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Validates a 5-field cron expression as Temporal accepts it: {@code minute hour day-of-month month
 * day-of-week}, each field a comma list of {@code *}, {@code n}, {@code a-b}, optionally {@code /step};
 * months JAN-DEC and days SUN-SAT by name. Nicknames ({@code @daily}, {@code @every 10s}) are rejected:
 * the Temporal test server does not support them.
 */
public final class CronExpression {
  private record Field(String name, int min, int max, Map<String, Integer> names) {}

  private static final Map<String, Integer> MONTHS = Map.ofEntries(
      Map.entry("JAN", 1), Map.entry("FEB", 2), Map.entry("MAR", 3), Map.entry("APR", 4),
      Map.entry("MAY", 5), Map.entry("JUN", 6), Map.entry("JUL", 7), Map.entry("AUG", 8),
      Map.entry("SEP", 9), Map.entry("OCT", 10), Map.entry("NOV", 11), Map.entry("DEC", 12));
  private static final Map<String, Integer> DAYS = Map.of(
      "SUN", 0, "MON", 1, "TUE", 2, "WED", 3, "THU", 4, "FRI", 5, "SAT", 6);

  private static final List<Field> FIELDS = List.of(
      new Field("minute", 0, 59, Map.of()),
      new Field("hour", 0, 23, Map.of()),
      new Field("day-of-month", 1, 31, Map.of()),
      new Field("month", 1, 12, MONTHS),
      new Field("day-of-week", 0, 7, DAYS));

  private CronExpression() {}

  /** @return the problems, empty when {@code expression} is valid */
  public static List<String> problems(String expression) {
    List<String> problems = new ArrayList<>();
    if (expression == null || expression.isBlank()) {
      problems.add("empty cron expression");
      return problems;
    }
    String trimmed = expression.trim();
    if (trimmed.startsWith("@")) {
      problems.add("cron nicknames such as '" + trimmed + "' are not supported; use 5 fields");
      return problems;
    }
    String[] parts = trimmed.split("\\s+");
    if (parts.length != 5) {
      problems.add("expected 5 fields (minute hour day-of-month month day-of-week), got " + parts.length);
      return problems;
    }
    for (int i = 0; i < 5; i++) {
      checkField(FIELDS.get(i), parts[i], problems);
    }
    return problems;
  }

  public static boolean isValid(String expression) {
    return problems(expression).isEmpty();
  }

  private static void checkField(Field field, String text, List<String> problems) {
    for (String item : text.split(",", -1)) {
      String range = item;
      int slash = item.indexOf('/');
      if (slash >= 0) {
        range = item.substring(0, slash);
        String step = item.substring(slash + 1);
        if (!step.matches("\\d+") || Integer.parseInt(step) == 0) {
          problems.add(field.name + ": bad step '" + step + "' in '" + item + "'");
          continue;
        }
      }
      if (range.equals("*")) {
        continue;
      }
      int dash = range.indexOf('-');
      if (dash >= 0) {
        Integer from = value(field, range.substring(0, dash), problems, item);
        Integer to = value(field, range.substring(dash + 1), problems, item);
        if (from != null && to != null && from > to) {
          problems.add(field.name + ": range '" + item + "' goes backwards");
        }
      } else {
        value(field, range, problems, item);
      }
    }
  }

  private static Integer value(Field field, String text, List<String> problems, String item) {
    Integer named = field.names.get(text.toUpperCase(Locale.ROOT));
    if (named != null) {
      return named;
    }
    if (!text.matches("\\d{1,2}")) {
      problems.add(field.name + ": '" + item + "' is not a number, range, list or *");
      return null;
    }
    int v = Integer.parseInt(text);
    if (v < field.min || v > field.max) {
      problems.add(field.name + ": " + v + " is outside " + field.min + "-" + field.max);
      return null;
    }
    return v;
  }
}
