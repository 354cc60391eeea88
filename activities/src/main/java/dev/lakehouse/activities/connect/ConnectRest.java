package dev.lakehouse.activities.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The Kafka Connect REST API over java.net.http: JSON in, status + JSON out. No retries here (Temporal retries). */
final class ConnectRest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One response; {@code body} is a MissingNode when the body is empty or not JSON. */
  record Response(int status, JsonNode body, String text) {
    boolean ok() {
      return status / 100 == 2;
    }

    /** Connect's error body is {@code {"error_code":..,"message":..}}. */
    String message() {
      return body.path("message").asText(text);
    }
  }

  private final String baseUrl;
  private final HttpClient http;

  ConnectRest(String baseUrl) {
    this.baseUrl = baseUrl;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  String baseUrl() {
    return baseUrl;
  }

  Response get(String path) throws IOException, InterruptedException {
    return send("GET", path, null);
  }

  Response put(String path, Object body) throws IOException, InterruptedException {
    return send("PUT", path, body);
  }

  Response post(String path) throws IOException, InterruptedException {
    return send("POST", path, null);
  }

  private Response send(String method, String path, Object body) throws IOException, InterruptedException {
    HttpRequest.BodyPublisher publisher = body == null
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(Duration.ofSeconds(30))
        .header("Accept", "application/json")
        .header("Content-Type", "application/json")
        .method(method, publisher)
        .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), parse(response.body()), response.body());
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
}
