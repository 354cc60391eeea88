package dev.lakehouse.activities.connect;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the answer of {@code PUT /connector-plugins/{class}/config/validate}: Connect's own messages, one
 * per invalid field. Debezium's validation also connects to PostgreSQL, so an unreachable database shows
 * up here too: that one is worth retrying, the others are not.
 */
record ConnectValidation(List<String> errors) {
  static ConnectValidation of(JsonNode validateResponse) {
    List<String> errors = new ArrayList<>();
    for (JsonNode config : validateResponse.path("configs")) {
      String field = config.path("value").path("name").asText(config.path("definition").path("name").asText("?"));
      for (JsonNode error : config.path("value").path("errors")) {
        errors.add(field + ": " + error.asText());
      }
    }
    if (errors.isEmpty() && validateResponse.path("error_count").asInt(0) > 0) {
      errors.add(validateResponse.path("error_count").asInt() + " error(s) without a message");
    }
    return new ConnectValidation(List.copyOf(errors));
  }

  boolean valid() {
    return errors.isEmpty();
  }

  /** True when every error is the database being unreachable (a transient condition, not a bad config). */
  boolean onlyUnreachable() {
    return !errors.isEmpty() && errors.stream().allMatch(ConnectValidation::unreachable);
  }

  private static boolean unreachable(String error) {
    String e = error.toLowerCase(Locale.ROOT);
    return e.contains("connection refused") || e.contains("timed out") || e.contains("connection attempt failed")
        || e.contains("the database system is starting up");
  }

  String summary() {
    return String.join("; ", errors);
  }
}
