package dev.lakehouse.spec;

import java.time.Duration;
import java.util.Map;

/**
 * Freshness policies ({@code lakehouse.freshness}): the most a model's lag may be, where lag is the age of the oldest
 * raw row it has not consumed (upstream models included; what {@code lakehouse status} shows as {@code stale N s}).
 * The most specific setting wins: {@code assets} by asset key, then {@code layers} by schema ({@code parsed_data},
 * {@code data_vault}), then {@code defaultMaxLag}.
 */
public record FreshnessSpec(Duration defaultMaxLag, Map<String, Duration> layers, Map<String, Duration> assets) {
  /** What applies when the spec has no {@code freshness} block. */
  public static final Duration DEFAULT_MAX_LAG = Duration.ofMinutes(5);

  public FreshnessSpec {
    layers = Map.copyOf(layers);
    assets = Map.copyOf(assets);
  }

  public static FreshnessSpec defaults() {
    return new FreshnessSpec(DEFAULT_MAX_LAG, Map.of(), Map.of());
  }

  /** The max lag of a model asset ({@code data_vault.s_users}). */
  public Duration maxLag(String assetKey) {
    Duration own = assets.get(assetKey);
    if (own != null) {
      return own;
    }
    int dot = assetKey.indexOf('.');
    Duration layer = dot < 0 ? null : layers.get(assetKey.substring(0, dot));
    return layer != null ? layer : defaultMaxLag;
  }
}
