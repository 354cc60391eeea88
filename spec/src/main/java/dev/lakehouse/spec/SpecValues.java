package dev.lakehouse.spec;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Typed reads of the resolved {@code lakehouse} object for {@link SpecReader} and {@link VaultReader}: each read
 * that fails records a problem with its HOCON path and returns a usable default, so one pass over the file finds
 * every problem.
 */
final class SpecValues {
  static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

  private final Config root;
  private final List<String> problems = new ArrayList<>();

  SpecValues(Config root) {
    this.root = root;
  }

  /** What was recorded so far, in order. */
  List<String> problems() {
    return problems;
  }

  boolean has(String path) {
    return root.hasPath(path);
  }

  /** The raw value at {@code path} (for blocks whose keys are not identifiers, such as {@code checks}). */
  com.typesafe.config.ConfigValue value(String path) {
    return root.getValue(path);
  }

  void problem(String path, String message) {
    problems.add("lakehouse." + path + ": " + message);
  }

  static String known(java.util.Collection<String> names) {
    return names.isEmpty() ? "" : " (known: " + String.join(", ", names.stream().sorted().toList()) + ")";
  }

  /** {@link #integer}, or {@code fallback} without a problem when the key is absent (a key added after a release). */
  int optionalInteger(String path, int fallback) {
    return has(path) ? integer(path, fallback) : fallback;
  }

  int integer(String path, int fallback) {
    return get(path, root::getInt, fallback);
  }

  private <T> T get(String path, Function<String, T> getter, T fallback) {
    try {
      return getter.apply(path);
    } catch (ConfigException.Missing e) {
      problem(path, "missing");
    } catch (ConfigException.WrongType e) {
      // "<origin>: <path> has type STRING rather than NUMBER": the value says more than the path again
      String m = e.getMessage();
      int at = m.indexOf(" has type ");
      problem(path, at < 0 ? m : "'" + root.getValue(path).unwrapped() + "'" + m.substring(at));
    } catch (ConfigException e) {
      problem(path, e.getMessage().replaceFirst("^.*?: ", ""));
    }
    return fallback;
  }

  String string(String path) {
    return get(path, root::getString, "");
  }

  /** on/off as an environment variable gives it: on, off, true, false, yes, no, 1, 0. */
  boolean onOff(String path) {
    String v = string(path).trim().toLowerCase(java.util.Locale.ROOT);
    return switch (v) {
      case "on", "true", "yes", "1" -> true;
      case "off", "false", "no", "0", "" -> false;
      default -> {
        problem(path, "'" + v + "' is neither on nor off");
        yield false;
      }
    };
  }

  String optionalString(String path, String fallback) {
    return root.hasPath(path) ? string(path) : fallback;
  }

  String identifier(String path) {
    String v = string(path);
    checkIdentifier(path, v);
    return v;
  }

  void checkIdentifier(String path, String value) {
    if (value != null && !value.isEmpty() && !IDENTIFIER.matcher(value).matches()) {
      problem(path, "unsafe identifier '" + value + "' (allowed: [a-z_][a-z0-9_]*)");
    }
  }

  String subString(Config c, String path, String key) {
    try {
      return c.getString(key);
    } catch (ConfigException.Missing e) {
      problem(path + "." + key, "missing");
    } catch (ConfigException e) {
      problem(path + "." + key, e.getMessage().replaceFirst("^.*?: ", ""));
    }
    return "";
  }

  int port(String path) {
    int known = problems.size();
    int port = get(path, root::getInt, 0);
    if (problems.size() == known && (port < 1 || port > 65535)) {
      problem(path, "port " + port + " is outside 1-65535");
    }
    return port;
  }

  int optionalPort(String path, int fallback) {
    return root.hasPath(path) ? port(path) : fallback;
  }

  int positiveInt(String path) {
    int v = get(path, root::getInt, 1);
    if (v < 1) {
      problem(path, "must be positive, got " + v);
    }
    return v;
  }

  /** Optional: a spec written before the key existed keeps {@code fallback}; when present, positive. */
  Duration optionalDuration(String path, Duration fallback) {
    return has(path) ? duration(path) : fallback;
  }

  Duration duration(String path) {
    Duration d = get(path, root::getDuration, Duration.ofSeconds(1));
    if (d.isNegative() || d.isZero()) {
      problem(path, "must be positive, got " + d);
    }
    return d;
  }

  String cron(String path) {
    String c = string(path);
    if (root.hasPath(path)) {
      for (String problem : CronExpression.problems(c)) {
        problem(path, "bad cron '" + c + "': " + problem);
      }
    }
    return c;
  }

  List<String> stringList(String path) {
    return get(path, root::getStringList, List.of());
  }

  List<String> stringListOrEmpty(String path) {
    return root.hasPath(path) ? stringList(path) : List.of();
  }

  List<? extends ConfigObject> objectList(String path) {
    return get(path, root::getObjectList, List.of());
  }

  /**
   * One {@code T} per entry of the object at {@code block} ({@code tables}, {@code hubs}, ...), in key order:
   * {@code read} gets the entry's name and path ({@code hubs.h_users}).
   */
  <T> List<T> each(String block, BiFunction<String, String, T> read) {
    List<T> out = new ArrayList<>();
    for (String name : keys(block)) {
      String path = block + "." + name;
      checkIdentifier(path, name);
      out.add(read.apply(name, path));
    }
    return out;
  }

  /** Keys of an object, sorted (HOCON objects are unordered). */
  List<String> keys(String path) {
    if (!root.hasPath(path)) {
      problem(path, "missing");
      return List.of();
    }
    if (root.getValue(path).valueType() != ConfigValueType.OBJECT) {
      problem(path, "must be an object keyed by name");
      return List.of();
    }
    Set<String> keys = new LinkedHashSet<>(root.getObject(path).keySet());
    // a name that is no identifier is reported here and goes no further: it would not even make a valid
    // config path (a quote in it breaks path parsing), let alone SQL
    List<String> safe = new ArrayList<>();
    for (String k : keys) {
      if (IDENTIFIER.matcher(k).matches()) {
        safe.add(k);
      } else {
        checkIdentifier(path + "." + k, k);
      }
    }
    return safe.stream().sorted(Comparator.naturalOrder()).toList();
  }

  /**
   * An object of durations keyed by free text ({@code "data_vault.s_users" = 30s}: keys with dots are quoted in
   * HOCON), in key order; an absent path is an empty map. Each value must be a positive duration.
   */
  java.util.Map<String, Duration> durationsByKey(String path) {
    java.util.Map<String, Duration> out = new java.util.TreeMap<>();
    if (!root.hasPath(path)) {
      return out;
    }
    if (root.getValue(path).valueType() != ConfigValueType.OBJECT) {
      problem(path, "must be an object of durations");
      return out;
    }
    for (String key : root.getObject(path).keySet()) {
      String p = path + "." + com.typesafe.config.ConfigUtil.quoteString(key);
      out.put(key, duration(p));
    }
    return out;
  }
}
