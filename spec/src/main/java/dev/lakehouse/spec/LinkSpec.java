package dev.lakehouse.spec;

import java.util.List;

/**
 * A link over one source {@code table}: each reference maps a column of that table to the hub whose
 * business key it holds (declared as {@code { column = "accounts.user_id", hub = h_users }}).
 */
public record LinkSpec(String name, String table, List<Reference> references, List<String> dependsOn) {
  public LinkSpec {
    references = List.copyOf(references);
    dependsOn = List.copyOf(dependsOn);
  }

  public record Reference(String column, String hub) {}

  public List<String> hubNames() {
    return references.stream().map(Reference::hub).toList();
  }
}
