package dev.lakehouse.activities.flink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.activities.JsonHttp;
import java.io.IOException;
import java.time.Duration;

/** Flink's REST APIs (JobManager and SQL Gateway) on {@link JsonHttp}, and Flink's error messages. */
final class FlinkRest {
  private final JsonHttp http;

  FlinkRest(String baseUrl) {
    this.http = new JsonHttp(baseUrl, Duration.ofSeconds(60), false);
  }

  String baseUrl() {
    return http.baseUrl();
  }

  JsonHttp.Response send(String method, String path, Object body) throws IOException, InterruptedException {
    return http.send(method, path, body);
  }

  JsonHttp.Response get(String path) throws IOException, InterruptedException {
    return http.get(path);
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
