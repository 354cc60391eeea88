package dev.lakehouse.workflows;

import java.util.List;

/** The models to check (asset keys, in plan order) and whether to read whole tables. */
public record AssetChecksInput(List<String> assets, boolean wholeTable) {
  public AssetChecksInput {
    assets = List.copyOf(assets);
  }
}
