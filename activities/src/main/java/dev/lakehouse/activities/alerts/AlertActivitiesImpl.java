package dev.lakehouse.activities.alerts;

import dev.lakehouse.activities.Failures;
import dev.lakehouse.spec.AlertsSpec;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.workflows.Incident;
import dev.lakehouse.workflows.activities.AlertActivities;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@link AlertActivities} over {@code java.net.http}: one POST per alert to the spec's webhook. A non-2xx answer
 * or an unreachable sink fails the attempt (Temporal retries it, then gives up: see
 * {@code ActivityOptionsCatalog.alerts}); without a webhook it does nothing.
 */
public final class AlertActivitiesImpl implements AlertActivities {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final AlertsSpec alerts;
  private final String uiUrl;
  private final String namespace;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  @Inject
  public AlertActivitiesImpl(PipelineSpec spec) {
    this.alerts = spec.alerts();
    this.uiUrl = spec.alerts().uiUrl(spec.endpoints());
    this.namespace = spec.endpoints().temporal().namespace();
  }

  @Override
  public String send(Incident incident, boolean resolved) {
    if (alerts.webhook().isEmpty()) {
      return "alerts off (lakehouse.alerts.webhook.url is empty)";
    }
    AlertsSpec.Webhook hook = alerts.webhook().get();
    String body = AlertMessage.body(hook.format(), incident, resolved,
        AlertMessage.link(uiUrl, namespace, incident.workflowId()));
    HttpRequest request = HttpRequest.newBuilder(hook.url()).timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IOException("webhook " + hook.url().getHost() + " answered " + response.statusCode());
      }
      return "posted to " + hook.url().getHost();
    } catch (IOException e) {
      throw Failures.of("alerts", "post " + incident.key(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.of("alerts", "post " + incident.key(), e);
    }
  }
}
