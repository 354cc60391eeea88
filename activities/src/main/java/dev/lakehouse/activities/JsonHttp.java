package dev.lakehouse.activities;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A JSON REST API over java.net.http (Kafka Connect, Flink JobManager, Flink SQL Gateway): JSON in, status +
 * JSON out. No retries here: Temporal retries the activity.
 */
public final class JsonHttp {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One response; {@code body} is a MissingNode when the body is empty or not JSON. */
  public record Response(int status, JsonNode body, String text) {
    public boolean ok() {
      return status / 100 == 2;
    }
  }

  private final String baseUrl;
  private final Duration requestTimeout;
  private final boolean contentTypeWithoutBody;
  private final HttpClient http;

  /**
   * @param contentTypeWithoutBody send {@code Content-Type: application/json} on requests without a body too
   *     (Kafka Connect's resources declare that they consume JSON)
   */
  public JsonHttp(String baseUrl, Duration requestTimeout, boolean contentTypeWithoutBody) {
    this.baseUrl = baseUrl;
    this.requestTimeout = requestTimeout;
    this.contentTypeWithoutBody = contentTypeWithoutBody;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  public String baseUrl() {
    return baseUrl;
  }

  public Response get(String path) throws IOException, InterruptedException {
    return send("GET", path, null);
  }

  public Response send(String method, String path, Object body) throws IOException, InterruptedException {
    HttpRequest.BodyPublisher publisher = body == null
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(requestTimeout)
        .header("Accept", "application/json")
        .method(method, publisher);
    if (body != null || contentTypeWithoutBody) {
      request.header("Content-Type", "application/json");
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), parse(response.body()), response.body());
  }

  /** The JSON of {@code text}, or a MissingNode when it is empty or not JSON. */
  public static JsonNode parse(String text) {
    if (text == null || text.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return JSON.readTree(text);
    } catch (IOException notJson) {
      return MissingNode.getInstance();
    }
  }
}
