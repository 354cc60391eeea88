package dev.lakehouse.spec;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the operational blocks {@code lakehouse.freshness} and {@code lakehouse.alerts} (both optional: without
 * them every model may lag {@link FreshnessSpec#DEFAULT_MAX_LAG} and alerts are off).
 */
final class OpsReader {
  static final Set<String> MODEL_LAYERS = Set.of(PipelineSpec.PARSED_SCHEMA, PipelineSpec.VAULT_SCHEMA);

  private final SpecValues in;

  OpsReader(SpecValues in) {
    this.in = in;
  }

  FreshnessSpec freshness(Set<String> modelKeys) {
    String p = "freshness";
    if (!in.has(p)) {
      return FreshnessSpec.defaults();
    }
    Duration def = in.has(p + ".default-max-lag") ? in.duration(p + ".default-max-lag")
        : FreshnessSpec.DEFAULT_MAX_LAG;
    Map<String, Duration> layers = in.durationsByKey(p + ".layers");
    for (String layer : layers.keySet()) {
      if (!MODEL_LAYERS.contains(layer)) {
        in.problem(p + ".layers", "unknown layer '" + layer + "': the layers with models are parsed_data and"
            + " data_vault (raw_data has no lag of its own: the health check watches the Flink checkpoints)");
      }
    }
    Map<String, Duration> assets = in.durationsByKey(p + ".assets");
    for (String asset : assets.keySet()) {
      if (!modelKeys.contains(asset)) {
        in.problem(p + ".assets", "unknown model '" + asset + "'" + SpecValues.known(modelKeys));
      }
    }
    return new FreshnessSpec(def, layers, assets);
  }

  AlertsSpec alerts() {
    String p = "alerts";
    Optional<String> ui = in.has(p + ".ui-url") ? Optional.of(in.string(p + ".ui-url")) : Optional.empty();
    String url = in.optionalString(p + ".webhook.url", "").trim();
    if (url.isEmpty()) {
      return new AlertsSpec(Optional.empty(), ui);
    }
    String formatText = in.optionalString(p + ".webhook.format", "json").trim().toUpperCase(Locale.ROOT);
    AlertsSpec.Format format = AlertsSpec.Format.JSON;
    try {
      format = AlertsSpec.Format.valueOf(formatText);
    } catch (IllegalArgumentException e) {
      in.problem(p + ".webhook.format", "'" + formatText.toLowerCase(Locale.ROOT) + "' is neither json nor slack");
    }
    URI uri = null;
    try {
      uri = new URI(url);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        in.problem(p + ".webhook.url", "'" + url + "' is not an http(s) URL with a host");
      }
    } catch (URISyntaxException e) {
      in.problem(p + ".webhook.url", "'" + url + "' is not a URL: " + e.getReason());
    }
    return new AlertsSpec(uri == null ? Optional.empty() : Optional.of(new AlertsSpec.Webhook(uri, format)), ui);
  }
}
