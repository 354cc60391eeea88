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
 *       (no {@code upper}).
 * </ul>
 */
public final class VaultHash {
  public static final String SEPARATOR = "||";
  public static final String NULL_TOKEN = "^^";

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

  /** Hashdiff over {@code payload} (in order) and then {@code deletedFlag}. */
  public static String hashDiff(List<String> payload, String deletedFlag) {
    List<String> parts = new java.util.ArrayList<>(payload.stream().map(VaultHash::diffPart).toList());
    parts.add(diffPart(deletedFlag));
    return md5(parts);
  }

  private static String md5(List<String> parts) {
    return "lower(to_hex(md5(to_utf8(" + String.join(" || '" + SEPARATOR + "' || ", parts) + "))))";
  }
}
