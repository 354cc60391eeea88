package dev.lakehouse.spec.usermodels;

import java.util.Comparator;
import java.util.List;

/** "Did you mean": the candidates close to a misspelled name (edit distance, or one containing the other). */
public final class Suggestions {
  private Suggestions() {}

  /** Candidates near {@code name}, closest first; compares the part after the schema too. */
  public static List<String> near(String name, List<String> candidates) {
    String bare = name.substring(name.indexOf('.') + 1);
    return candidates.stream()
        .filter(k -> k.contains(bare) || distance(k, name) <= 3 || distance(k.substring(k.indexOf('.') + 1), bare) <= 2)
        .sorted(Comparator.comparingInt((String k) -> distance(k, name)).thenComparing(Comparator.naturalOrder()))
        .limit(5)
        .toList();
  }

  /** Levenshtein distance. */
  public static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
