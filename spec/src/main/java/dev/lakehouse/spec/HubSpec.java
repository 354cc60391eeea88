package dev.lakehouse.spec;

import java.util.List;

/**
 * A hub: one row per business key of {@code table}. {@code businessKey} holds column names of that table
 * (declared as {@code ["users.id"]} in the spec). {@code dependsOn} lists extra upstream models.
 */
public record HubSpec(String name, String table, List<String> businessKey, List<String> dependsOn) {
  public HubSpec {
    businessKey = List.copyOf(businessKey);
    dependsOn = List.copyOf(dependsOn);
  }
}
