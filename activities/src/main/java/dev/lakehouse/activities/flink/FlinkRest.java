package dev.lakehouse.activities.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Flink's REST APIs (JobManager and SQL Gateway) over java.net.http: JSON in, status + JSON out. */
final class FlinkRest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One response; {@code body} is a MissingNode when the body is empty or not JSON. */
  record Response(int status, JsonNode body, String text) {
    boolean ok() {
      return status / 100 == 2;
    }
  }

  private final String baseUrl;
  private final HttpClient http;

  FlinkRest(String baseUrl) {
    this.baseUrl = baseUrl;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  String baseUrl() {
    return baseUrl;
  }

  Response send(String method, String path, Object body) throws IOException, InterruptedException {
    HttpRequest.BodyPublisher publisher = body == null
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(Duration.ofSeconds(60))
        .header("Accept", "application/json")
        .method(method, publisher);
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), parse(response.body()), response.body());
  }

  Response get(String path) throws IOException, InterruptedException {
    return send("GET", path, null);
  }

  static JsonNode parse(String text) {
    if (text == null || text.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return JSON.readTree(text);
    } catch (IOException notJson) {
      return MissingNode.getInstance();
    }
  }

  /**
   * The readable part of a Flink error body ({@code {"errors": ["Internal server error.", "<stack trace>"]}}):
   * the deepest {@code Caused by:} line of the trace, which names the real problem (a missing table, a
   * parse error, an unreachable catalog), else the first non-generic message.
   */
  static String errorMessage(JsonNode body, String fallback) {
    String first = null;
    String deepest = null;
    for (JsonNode e : body.path("errors")) {
      String text = e.asText();
      for (String line : text.split("\n")) {
        String l = line.strip();
        if (l.startsWith("Caused by: ")) {
          deepest = l.substring("Caused by: ".length());
        }
      }
      if (first == null && !text.isBlank() && !text.startsWith("Internal server error")) {
        first = text.split("\n")[0].strip();
      }
    }
    if (deepest != null) {
      return deepest;
    }
    return first != null ? first : fallback;
  }
}
