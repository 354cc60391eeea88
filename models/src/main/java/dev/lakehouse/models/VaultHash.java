package dev.lakehouse.models;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Data Vault hashing (docs/architecture.md#data-vault) as Trino SQL expressions.
 *
 * <ul>
 *   <li>hash key: {@code lower(to_hex(md5(to_utf8(p1 || '||' || p2 ...))))}, each part
 *       {@code coalesce(nullif(upper(trim(cast(x AS varchar))), ''), '^^')};
 *   <li>hashdiff: the same over the payload columns in spec order plus the deleted flag, case-preserving
 *       (no {@code upper}), with the payload's trailing NULL parts left out ({@link #TRAILING_NULLS}).
 * </ul>
 *
 * <p>Leaving trailing NULLs out (as datavault4dbt and AutomateDV advise) is what lets a satellite gain a column:
 * appended last, the new column is NULL in every row stored before, so those rows' hashdiffs, and those of new
 * changes that leave it NULL, are the ones they had without it; the schema change alone writes no new row.
 */
public final class VaultHash {
  public static final String SEPARATOR = "||";
  public static final String NULL_TOKEN = "^^";
  /** A regular expression for the payload's trailing NULL parts: separator and NULL token, repeated, at the end. */
  static final String TRAILING_NULLS = "(\\|\\|\\^\\^)+$";

  private VaultHash() {}

  public static String keyPart(String expr) {
    return "coalesce(nullif(upper(trim(cast(" + expr + " AS varchar))), ''), '" + NULL_TOKEN + "')";
  }

  public static String diffPart(String expr) {
    return "coalesce(nullif(trim(cast(" + expr + " AS varchar)), ''), '" + NULL_TOKEN + "')";
  }

  public static String hashKey(List<String> exprs) {
    return md5(exprs.stream().map(VaultHash::keyPart).collect(Collectors.toList()));
  }

  /** Hashdiff over {@code payload} (in order, trailing NULL parts left out) and then {@code deletedFlag}. */
  public static String hashDiff(List<String> payload, String deletedFlag) {
    String concatenated = String.join(" || '" + SEPARATOR + "' || ", payload.stream().map(VaultHash::diffPart).toList());
    String trimmed = "regexp_replace(" + concatenated + ", '" + TRAILING_NULLS + "', '')";
    return md5(List.of(trimmed, diffPart(deletedFlag)));
  }

  private static String md5(List<String> parts) {
    return "lower(to_hex(md5(to_utf8(" + String.join(" || '" + SEPARATOR + "' || ", parts) + "))))";
  }
}
