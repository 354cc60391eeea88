package dev.lakehouse.workflows.assets;

import java.util.List;

/**
 * One node of the asset graph: {@code key} is {@code schema.table} ({@code raw_data.users},
 * {@code parsed_data.parsed_users}, {@code data_vault.h_users}) or {@code kind:name}
 * ({@code connector:bank}, {@code topic:bank.public.users}, {@code flink:ingest}).
 */
public record Asset(String key, AssetKind kind, List<String> upstream) {
  public Asset {
    upstream = List.copyOf(upstream);
  }
}
