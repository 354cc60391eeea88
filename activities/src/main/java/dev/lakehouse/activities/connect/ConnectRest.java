package dev.lakehouse.activities.connect;

import dev.lakehouse.activities.JsonHttp;
import java.io.IOException;
import java.time.Duration;

/** The Kafka Connect REST API: GET, PUT and POST on {@link JsonHttp}, and Connect's error message. */
final class ConnectRest {
  private final JsonHttp http;

  ConnectRest(String baseUrl) {
    this.http = new JsonHttp(baseUrl, Duration.ofSeconds(30), true);
  }

  String baseUrl() {
    return http.baseUrl();
  }

  JsonHttp.Response get(String path) throws IOException, InterruptedException {
    return http.get(path);
  }

  JsonHttp.Response put(String path, Object body) throws IOException, InterruptedException {
    return http.send("PUT", path, body);
  }

  JsonHttp.Response post(String path) throws IOException, InterruptedException {
    return http.send("POST", path, null);
  }

  /** Connect's error body is {@code {"error_code":..,"message":..}}; else the raw text. */
  static String message(JsonHttp.Response r) {
    return r.body().path("message").asText(r.text());
  }
}
