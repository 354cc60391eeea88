package dev.lakehouse.activities.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.activities.JsonHttp;
import dev.lakehouse.workflows.activities.ConnectorStatus;
import org.junit.jupiter.api.Test;

/** Parsing of Kafka Connect answers (shapes as documented by Connect's REST API). */
class ConnectResponsesTest {
  @Test
  void validationCollectsEveryFieldError() {
    ConnectValidation v = ConnectValidation.of(JsonHttp.parse("""
        {"name":"io.debezium.connector.postgresql.PostgresConnector","error_count":2,"groups":[],"configs":[
          {"definition":{"name":"plugin.name"},"value":{"name":"plugin.name","value":"bogus","errors":
            ["Value must be one of decoderbufs, pgoutput"]}},
          {"definition":{"name":"slot.name"},"value":{"name":"slot.name","value":"ok","errors":[]}},
          {"definition":{"name":"database.hostname"},"value":{"name":"database.hostname","errors":
            ["Error while validating connector config: password authentication failed for user \\"x\\""]}}]}
        """));
    assertThat(v.valid()).isFalse();
    assertThat(v.errors()).containsExactly("plugin.name: Value must be one of decoderbufs, pgoutput",
        "database.hostname: Error while validating connector config: password authentication failed for user \"x\"");
    assertThat(v.onlyUnreachable()).isFalse();
  }

  @Test
  void anUnreachableDatabaseIsNotABadConfig() {
    ConnectValidation v = ConnectValidation.of(JsonHttp.parse("""
        {"error_count":1,"configs":[{"definition":{"name":"database.hostname"},"value":{"name":"database.hostname",
          "errors":["Error while validating connector config: Connection to 127.0.0.1:5432 refused. Check that the hostname and port are correct: Connection refused"]}}]}
        """));
    assertThat(v.onlyUnreachable()).isTrue();
  }

  @Test
  void validConfig() {
    assertThat(ConnectValidation.of(JsonHttp.parse("{\"error_count\":0,\"configs\":[]}")).valid()).isTrue();
  }

  @Test
  void statusWithTasks() {
    ConnectorStatus s = ConnectActivitiesImpl.parseStatus("bank-connector", JsonHttp.parse("""
        {"name":"bank-connector","connector":{"state":"RUNNING","worker_id":"127.0.0.1:8083"},
         "tasks":[{"id":0,"state":"FAILED","worker_id":"127.0.0.1:8083","trace":"org.apache.kafka.connect.errors.ConnectException: x\\nCaused by: y"}],
         "type":"source"}
        """));
    assertThat(s.state()).isEqualTo("RUNNING");
    assertThat(s.tasks()).singleElement().satisfies(t -> {
      assertThat(t.state()).isEqualTo("FAILED");
      assertThat(t.trace()).startsWith("org.apache.kafka.connect.errors.ConnectException");
    });
    assertThat(ConnectActivitiesImpl.running(s)).isFalse();
  }

  @Test
  void runningNeedsAtLeastOneTask() {
    ConnectorStatus noTasks = ConnectActivitiesImpl.parseStatus("c", JsonHttp.parse(
        "{\"name\":\"c\",\"connector\":{\"state\":\"RUNNING\"},\"tasks\":[]}"));
    assertThat(ConnectActivitiesImpl.running(noTasks)).isFalse();
    ConnectorStatus ok = ConnectActivitiesImpl.parseStatus("c", JsonHttp.parse(
        "{\"name\":\"c\",\"connector\":{\"state\":\"RUNNING\"},\"tasks\":[{\"id\":0,\"state\":\"RUNNING\"}]}"));
    assertThat(ConnectActivitiesImpl.running(ok)).isTrue();
  }
}
