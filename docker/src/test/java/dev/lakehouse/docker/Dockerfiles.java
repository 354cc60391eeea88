package dev.lakehouse.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The few Dockerfile instructions the tests check: FROM images and local COPY/ADD sources. */
final class Dockerfiles {

  private Dockerfiles() {}

  /**
   * Logical lines (continuations joined, comments dropped), with {@code ${ARG}} / {@code $ARG}
   * replaced by the defaults of the ARG instructions above them.
   */
  static List<String> instructions(Path dockerfile) {
    Map<String, String> args = new HashMap<>();
    List<String> out = new ArrayList<>();
    for (String line : rawInstructions(dockerfile)) {
      String expanded = expand(line, args);
      String[] words = expanded.split("\\s+", 2);
      if (words[0].equalsIgnoreCase("ARG") && words.length > 1) {
        String[] kv = words[1].strip().split("=", 2);
        args.put(kv[0], kv.length > 1 ? unquote(kv[1]) : args.getOrDefault(kv[0], ""));
      }
      out.add(expanded);
    }
    return out;
  }

  private static String expand(String line, Map<String, String> args) {
    Matcher m = ARG_REF.matcher(line);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2);
      m.appendReplacement(sb, Matcher.quoteReplacement(args.getOrDefault(name, m.group())));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static String unquote(String s) {
    String t = s.strip();
    if (t.length() >= 2 && (t.startsWith("\"") && t.endsWith("\"") || t.startsWith("'") && t.endsWith("'"))) {
      return t.substring(1, t.length() - 1);
    }
    return t;
  }

  private static final Pattern ARG_REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");

  private static List<String> rawInstructions(Path dockerfile) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    try {
      for (String line : Files.readAllLines(dockerfile)) {
        String t = line.strip();
        if (current.isEmpty() && (t.isEmpty() || t.startsWith("#"))) {
          continue;
        }
        if (t.endsWith("\\")) {
          current.append(t, 0, t.length() - 1).append(' ');
        } else {
          current.append(t);
          out.add(current.toString().strip());
          current.setLength(0);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!current.isEmpty()) {
      out.add(current.toString().strip());
    }
    return out;
  }

  /** The images of the FROM lines (stage names and flags removed). */
  static List<String> baseImages(Path dockerfile) {
    List<String> out = new ArrayList<>();
    for (String i : instructions(dockerfile)) {
      String[] words = i.split("\\s+");
      if (words[0].toUpperCase(Locale.ROOT).equals("FROM")) {
        for (int k = 1; k < words.length; k++) {
          if (!words[k].startsWith("--")) {
            out.add(words[k]);
            break;
          }
        }
      }
    }
    return out;
  }

  /** Local sources of COPY and ADD (URLs and {@code COPY --from=...} are not local). */
  static List<String> localSources(Path dockerfile) {
    List<String> out = new ArrayList<>();
    for (String i : instructions(dockerfile)) {
      String[] words = i.split("\\s+");
      String op = words[0].toUpperCase(Locale.ROOT);
      if (!op.equals("COPY") && !op.equals("ADD")) {
        continue;
      }
      List<String> args = new ArrayList<>();
      boolean fromStage = false;
      for (int k = 1; k < words.length; k++) {
        if (words[k].startsWith("--")) {
          fromStage |= words[k].startsWith("--from");
        } else {
          args.add(words[k]);
        }
      }
      if (fromStage || args.size() < 2) {
        continue;
      }
      for (String src : args.subList(0, args.size() - 1)) {
        if (!src.contains("://")) {
          out.add(src);
        }
      }
    }
    return out;
  }
}
