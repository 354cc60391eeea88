package dev.lakehouse.activities.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.spec.AlertsSpec;
import dev.lakehouse.workflows.Incident;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The body of one alert: the lakehouse's JSON ({@code kind, state, asset, message, since, link}) or Slack's
 * {@code {"text": ...}}. {@code link} opens the run that saw the incident in the Temporal Web UI.
 */
final class AlertMessage {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AlertMessage() {}

  static String link(String uiUrl, String namespace, String workflowId) {
    return uiUrl.replaceAll("/+$", "") + "/namespaces/" + namespace + "/workflows/"
        + URLEncoder.encode(workflowId, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String body(AlertsSpec.Format format, Incident incident, boolean resolved, String link) {
    String state = resolved ? "resolved" : "opened";
    String kind = incident.kind().name().toLowerCase(Locale.ROOT);
    String since = Instant.ofEpochMilli(incident.sinceMillis()).toString();
    Map<String, Object> body = new LinkedHashMap<>();
    if (format == AlertsSpec.Format.SLACK) {
      body.put("text", (resolved ? "RESOLVED" : "ALERT") + " lakehouse " + kind + " " + incident.asset() + ": "
          + incident.message() + " (since " + since + ") <" + link + "|Temporal run>");
    } else {
      body.put("kind", kind);
      body.put("state", state);
      body.put("asset", incident.asset());
      body.put("message", incident.message());
      body.put("since", since);
      body.put("link", link);
    }
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
