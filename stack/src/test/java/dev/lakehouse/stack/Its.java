package dev.lakehouse.stack;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Shared bits of the stack ITs: skip a test whose service this run did not start, small JSON over HTTP. */
final class Its {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Its() {}

  /** Skips (assumption) when the run was limited with lakehouse.stack.only to services without this one. */
  static void requires(String service) {
    boolean started = LakehouseStackExtension.stack().services().stream().anyMatch(s -> s.name().equals(service));
    assumeTrue(started, service + " not started in this run (lakehouse.stack.only)");
  }

  static HttpResponse<String> send(String method, String url, String jsonBody) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (jsonBody != null) {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The JSON answer of a request that must succeed (2xx); the message carries the body otherwise. */
  static JsonNode json(String method, String url, String jsonBody) throws Exception {
    HttpResponse<String> r = send(method, url, jsonBody);
    if (r.statusCode() / 100 != 2) {
      throw new AssertionError(method + " " + url + " -> " + r.statusCode() + ": " + r.body());
    }
    return r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
  }

  static String body(Object o) throws Exception {
    return JSON.writeValueAsString(o);
  }
}
