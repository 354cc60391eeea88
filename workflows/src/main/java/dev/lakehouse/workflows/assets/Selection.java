package dev.lakehouse.workflows.assets;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * dbt-style selection: comma-separated union of terms; a term is {@code key}, a glob over keys
 * ({@code raw_data.*}, {@code data_vault.s_*}), or {@code kind:<kind>}; a leading {@code +} adds every
 * ancestor, a trailing {@code +} every descendant ({@code +x}, {@code x+}, {@code +x+}). {@code eager:x} is what
 * materializes when {@code x} changes: {@code x} and its descendants, except models with a schedule of their own
 * ({@code config(cron=...)}) and what lies below only them; sensors and model schedules request it.
 */
public record Selection(List<Term> terms) {
  /** What starts a kind term: {@code kind:model}. */
  public static final String KIND_PREFIX = "kind:";

  /** What starts an eager term: {@code eager:raw_data.users}. */
  public static final String EAGER_PREFIX = "eager:";

  /** Every model: what an empty selection means. */
  public static final String ALL_MODELS = kind(AssetKind.MODEL);

  /** The term selecting every asset of {@code kind}: {@code kind:<label>}. */
  public static String kind(AssetKind kind) {
    return KIND_PREFIX + kind.label();
  }

  /** The term selecting what materializes when {@code key} changes: {@code eager:<key>}. */
  public static String eager(String key) {
    return EAGER_PREFIX + key;
  }

  /** The selection a request names, trimmed; every model when it names none (null or blank). */
  public static String orAllModels(String selection) {
    return selection == null || selection.isBlank() ? ALL_MODELS : selection.trim();
  }

  public record Term(String text, String pattern, boolean ancestors, boolean descendants) {
    public boolean isKind() {
      return pattern.startsWith(KIND_PREFIX);
    }

    /** The kind's label of a kind term ({@code model} of {@code kind:model}). */
    String kindLabel() {
      return pattern.substring(KIND_PREFIX.length());
    }

    public boolean isEager() {
      return pattern.startsWith(EAGER_PREFIX);
    }

    /** The term an eager term starts from: {@code x} of {@code eager:x}. */
    Term eagerStart() {
      return new Term(text, pattern.substring(EAGER_PREFIX.length()), false, false);
    }

    public boolean isGlob() {
      return pattern.contains("*") || pattern.contains("?");
    }

    Pattern regex() {
      StringBuilder sb = new StringBuilder();
      for (char c : pattern.toCharArray()) {
        switch (c) {
          case '*' -> sb.append(".*");
          case '?' -> sb.append('.');
          default -> sb.append(Pattern.quote(String.valueOf(c)));
        }
      }
      return Pattern.compile(sb.toString());
    }
  }

  public Selection {
    terms = List.copyOf(terms);
  }

  public static Selection parse(String text) {
    if (text == null || text.isBlank()) {
      throw new SelectionException("empty selection");
    }
    List<Term> terms = new ArrayList<>();
    for (String raw : text.split(",")) {
      String t = raw.trim();
      if (t.isEmpty()) {
        throw new SelectionException("empty term in selection '" + text + "'");
      }
      boolean up = t.startsWith("+");
      boolean down = t.length() > 1 && t.endsWith("+");
      String pattern = t.substring(up ? 1 : 0, t.length() - (down ? 1 : 0)).trim();
      if (pattern.isEmpty() || pattern.contains("+") || pattern.contains(" ")
          || (pattern.startsWith(EAGER_PREFIX) && (up || down || pattern.length() == EAGER_PREFIX.length()))) {
        throw new SelectionException("malformed term '" + t + "' in selection '" + text
            + "' (forms: x, x+, +x, +x+, kind:model, raw_data.*, eager:x)");
      }
      terms.add(new Term(t, pattern, up, down));
    }
    return new Selection(terms);
  }
}
