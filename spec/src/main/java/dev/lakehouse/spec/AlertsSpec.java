package dev.lakehouse.spec;

import java.net.URI;
import java.util.Optional;

/**
 * Alerts ({@code lakehouse.alerts}): where incidents are posted. {@code webhook} empty means alerts are off;
 * {@code uiUrl} is the Temporal Web UI the alerts link to when set ({@code alerts.ui-url}; else the Temporal host and
 * UI port of the endpoints, see {@link #uiUrl(Endpoints)}).
 */
public record AlertsSpec(Optional<Webhook> webhook, Optional<String> uiUrl) {

  /** Alerts off, links to the endpoints' Web UI. */
  public static AlertsSpec off() {
    return new AlertsSpec(Optional.empty(), Optional.empty());
  }

  /** The Web UI the alerts link to. */
  public String uiUrl(Endpoints endpoints) {
    return uiUrl.orElse(endpoints.temporal().uiUrl());
  }

  /** The output a webhook receives: the lakehouse's JSON, or Slack's {@code {"text": ...}}. */
  public enum Format {
    JSON, SLACK
  }

  /** An HTTP(S) endpoint that receives one POST per opened or resolved incident. */
  public record Webhook(URI url, Format format) {}
}
