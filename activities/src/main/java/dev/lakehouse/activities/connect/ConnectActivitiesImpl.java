package dev.lakehouse.activities.connect;

import dev.lakehouse.activities.kafka.SnapshotSignals;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.activities.Failures;
import dev.lakehouse.activities.Heartbeats;
import dev.lakehouse.activities.JsonHttp;
import dev.lakehouse.activities.source.SourceDatabase;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.workflows.activities.ConnectActivities;
import dev.lakehouse.workflows.activities.ConnectorStatus;
import dev.lakehouse.workflows.assets.AssetGraph;
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Debezium connector through the Kafka Connect REST API (and, before it is created, its publication on the
 * source database). Every method is idempotent. A config that
 * Connect rejects fails non-retryably with Connect's own messages; an unreachable Connect or database
 * fails retryably.
 */
public class ConnectActivitiesImpl implements ConnectActivities {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectActivitiesImpl.class);
  /** A restart is asynchronous: a task still FAILED this long after it is failing for real. */
  private static final Duration RESTART_GRACE = Duration.ofSeconds(15);

  private final PipelineSpec spec;
  private final ConnectRest rest;
  private final String name;
  private final String asset;
  private final Duration awaitTimeout;
  private final Duration pollInterval;

  @Inject
  public ConnectActivitiesImpl(PipelineSpec spec) {
    this(spec, Duration.ofMinutes(3), Duration.ofSeconds(1));
  }

  /** {@code awaitTimeout}: how long {@link #awaitRunning()} polls before failing (retryably). */
  public ConnectActivitiesImpl(PipelineSpec spec, Duration awaitTimeout, Duration pollInterval) {
    this.spec = spec;
    this.rest = new ConnectRest(spec.endpoints().connect().url());
    this.name = ConnectorConfig.name(spec);
    this.asset = AssetGraph.connectorKey(spec.sourceDatabase());
    this.awaitTimeout = awaitTimeout;
    this.pollInterval = pollInterval;
  }

  /**
   * The ingestion setup's update: creates the connector, or adds the spec's new tables to it; a table it captures
   * that the spec lacks stays captured (removal is {@code lakehouse apply --allow-removal}'s, which refuses it
   * otherwise: docs/apply.md#at-up).
   */
  @Override
  public ConnectorStatus upsertConnector() {
    return upsertConnector(false);
  }

  /** The connector's config set to the spec's; with {@code removeTables}, tables the spec lacks leave it. */
  public ConnectorStatus upsertConnector(boolean removeTables) {
    Map<String, String> config = new LinkedHashMap<>(ConnectorConfig.build(spec));
    try {
      // first, since Connect's validation logs in as that role; but a database Connect cannot reach or find is
      // better told by Connect, so a failure here is reported after the validation
      SQLException roleProblem = ensureReplicationRole();
      if (roleProblem != null) {
        LOG.warn("{}: replication role {} not ensured ({}); validating the connector anyway", asset,
            spec.security().replication().user(), roleProblem.getMessage());
      }
      validate(config);
      if (roleProblem != null) {
        throw Failures.of(asset, "create or update the replication role " + spec.security().replication().user()
            + " on " + spec.endpoints().postgres().jdbcUrl(), roleProblem);
      }
      ensurePublication();
      SnapshotSignals.ensureTopic(spec); // before the connector's signal consumer looks for it
      // a table added to a running connector is streamed from now on; its existing rows need an incremental
      // snapshot, which apply signals once the update runs. Recorded first, so a failure in between leaves it owed
      // and the next apply plans it (a new connector's initial snapshot reads every table)
      Optional<List<String>> before = includedTables();
      if (before.isPresent()) {
        SnapshotSignals.markPending(spec, spec.structure().tableNames().stream()
            .filter(t -> !before.get().contains(t)).toList());
        if (!removeTables) {
          config.put("table.include.list", ConnectorConfig.tableIncludeListKeeping(spec, before.get()));
        }
      }
      JsonHttp.Response put = rest.put("/connectors/" + enc(name) + "/config", config);
      if (!put.ok()) {
        throw httpFailure("PUT /connectors/" + name + "/config", put);
      }
      LOG.info("{}: connector {} {} on {}", asset, name, put.status() == 201 ? "created" : "updated", rest.baseUrl());
      return readStatus();
    } catch (IOException e) {
      throw Failures.of(asset, "upsert connector " + name + " at " + rest.baseUrl(), e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw Failures.of(asset, "create the signal topic " + SnapshotSignals.topic(spec) + " at "
          + spec.endpoints().kafka().bootstrapServers(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.of(asset, "upsert connector " + name, e);
    }
  }

  /** The replication role (docs/security.md), or what went wrong. */
  private SQLException ensureReplicationRole() {
    try {
      SourceDatabase.ensureReplicationRole(spec);
      return null;
    } catch (SQLException e) {
      return e;
    }
  }

  /** After Connect's validation: its message about an unreachable or unknown database is the clearer one. */
  private void ensurePublication() {
    try {
      SourceDatabase.ensurePublication(spec);
    } catch (SQLException e) {
      throw Failures.of(asset, "create or complete publication " + spec.source().publication() + " on "
          + spec.endpoints().postgres().jdbcUrl(), e);
    }
  }

  /** Connect's validation first: its messages are precise ("... is not a valid value ..."), PUT's are not. */
  private void validate(Map<String, String> config) throws IOException, InterruptedException {
    Map<String, String> body = new LinkedHashMap<>(config);
    body.put("name", name);
    String plugin = ConnectorConfig.CONNECTOR_CLASS.substring(ConnectorConfig.CONNECTOR_CLASS.lastIndexOf('.') + 1);
    JsonHttp.Response response = rest.put("/connector-plugins/" + plugin + "/config/validate", body);
    if (response.status() == 404) {
      throw Failures.configuration(asset, "Kafka Connect at " + rest.baseUrl() + " has no plugin " + plugin
          + ": install debezium-connector-postgres in its plugin.path");
    }
    if (!response.ok()) {
      throw httpFailure("validate connector config", response);
    }
    ConnectValidation validation = ConnectValidation.of(response.body());
    if (validation.valid()) {
      return;
    }
    if (validation.onlyUnreachable()) {
      throw Failures.notReady(asset, "PostgreSQL is not reachable from Kafka Connect: " + validation.summary());
    }
    throw Failures.configuration(asset, "Kafka Connect rejected the config of connector " + name + ": "
        + validation.summary());
  }

  /**
   * The tables of the connector's {@code table.include.list} (the spec's schema stripped; another schema's table
   * keeps its {@code schema.} prefix), in its order; empty when the connector does not exist.
   */
  public Optional<List<String>> includedTables() {
    try {
      JsonHttp.Response r = rest.get("/connectors/" + enc(name) + "/config");
      if (r.status() == 404) {
        return Optional.empty();
      }
      if (!r.ok()) {
        throw httpFailure("GET /connectors/" + name + "/config", r);
      }
      String prefix = spec.source().schema() + ".";
      return Optional.of(Arrays.stream(r.body().path("table.include.list").asText("").split(","))
          .map(String::strip).filter(t -> !t.isEmpty())
          .map(t -> t.startsWith(prefix) ? t.substring(prefix.length()) : t).toList());
    } catch (IOException e) {
      throw Failures.of(asset, "read the config of connector " + name + " at " + rest.baseUrl(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.of(asset, "read the config of connector " + name, e);
    }
  }

  @Override
  public ConnectorStatus awaitRunning() {
    long deadline = System.nanoTime() + awaitTimeout.toNanos();
    boolean restarted = false;
    long restartedAt = 0;
    ConnectorStatus status;
    try {
      while (true) {
        status = readStatus();
        Heartbeats.beat(status.state());
        if (running(status)) {
          return status;
        }
        if (failed(status) && !restarted) {
          // one restart per attempt: a task that failed on a transient error (database restarting) recovers
          restarted = true;
          restartedAt = System.nanoTime();
          restartFailed(status);
        } else if (failed(status) && System.nanoTime() - restartedAt > RESTART_GRACE.toNanos()) {
          throw Failures.notReady(asset, "connector " + name + " FAILED again after a restart: " + firstTrace(status));
        }
        if (System.nanoTime() > deadline) {
          // MISSING right after the PUT is normal (Connect creates connectors through its config topic);
          // still MISSING at the deadline means nobody created it
          throw Failures.notReady(asset, "connector " + name + " not RUNNING after " + awaitTimeout.toSeconds()
              + " s: " + ("MISSING".equals(status.state()) ? "it does not exist (upsertConnector creates it)"
                  : describe(status)));
        }
        Thread.sleep(pollInterval.toMillis());
      }
    } catch (IOException e) {
      throw Failures.of(asset, "read status of connector " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.of(asset, "await connector " + name, e);
    }
  }

  @Override
  public int restartFailedTasks() {
    try {
      return restartFailed(readStatus());
    } catch (IOException e) {
      throw Failures.of(asset, "restart failed tasks of connector " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.of(asset, "restart failed tasks of connector " + name, e);
    }
  }

  @Override
  public ConnectorStatus status() {
    try {
      return readStatus();
    } catch (IOException e) {
      throw Failures.of(asset, "read status of connector " + name + " at " + rest.baseUrl(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.of(asset, "read status of connector " + name, e);
    }
  }

  private int restartFailed(ConnectorStatus status) throws IOException, InterruptedException {
    if ("FAILED".equals(status.state())) {
      JsonHttp.Response r = rest.post("/connectors/" + enc(name) + "/restart");
      if (!r.ok() && r.status() != 409) {
        throw httpFailure("restart connector " + name, r);
      }
      LOG.warn("{}: restarted FAILED connector {}", asset, name);
    }
    int restarted = 0;
    for (ConnectorStatus.TaskState task : status.tasks()) {
      if ("FAILED".equals(task.state())) {
        JsonHttp.Response r = rest.post("/connectors/" + enc(name) + "/tasks/" + task.id() + "/restart");
        if (!r.ok() && r.status() != 409) {
          throw httpFailure("restart task " + task.id() + " of connector " + name, r);
        }
        LOG.warn("{}: restarted FAILED task {} of connector {}: {}", asset, task.id(), name, firstLine(task.trace()));
        restarted++;
      }
    }
    return restarted;
  }

  ConnectorStatus readStatus() throws IOException, InterruptedException {
    JsonHttp.Response r = rest.get("/connectors/" + enc(name) + "/status");
    if (r.status() == 404) {
      return new ConnectorStatus(name, "MISSING", List.of());
    }
    if (!r.ok()) {
      throw httpFailure("GET /connectors/" + name + "/status", r);
    }
    return parseStatus(name, r.body());
  }

  static ConnectorStatus parseStatus(String name, JsonNode body) {
    List<ConnectorStatus.TaskState> tasks = new ArrayList<>();
    for (JsonNode t : body.path("tasks")) {
      tasks.add(new ConnectorStatus.TaskState(t.path("id").asInt(), t.path("state").asText(),
          t.hasNonNull("trace") ? t.get("trace").asText() : null));
    }
    return new ConnectorStatus(body.path("name").asText(name), body.path("connector").path("state").asText("UNKNOWN"),
        List.copyOf(tasks));
  }

  static boolean running(ConnectorStatus s) {
    return "RUNNING".equals(s.state()) && !s.tasks().isEmpty()
        && s.tasks().stream().allMatch(t -> "RUNNING".equals(t.state()));
  }

  private static boolean failed(ConnectorStatus s) {
    return "FAILED".equals(s.state()) || s.tasks().stream().anyMatch(t -> "FAILED".equals(t.state()));
  }

  private static String describe(ConnectorStatus s) {
    StringBuilder sb = new StringBuilder("connector ").append(s.state()).append(", tasks ");
    sb.append(s.tasks().isEmpty() ? "none yet" : s.tasks().stream().map(t -> t.id() + "=" + t.state()).toList());
    return sb.toString();
  }

  private static String firstTrace(ConnectorStatus s) {
    return s.tasks().stream().filter(t -> t.trace() != null).map(t -> firstLine(t.trace())).findFirst()
        .orElse(describe(s));
  }

  private static String firstLine(String trace) {
    if (trace == null) {
      return "";
    }
    // the most useful line of a Java trace is its deepest "Caused by"
    String[] lines = trace.split("\n");
    String best = lines[0];
    for (String line : lines) {
      if (line.startsWith("Caused by: ")) {
        best = line.substring("Caused by: ".length());
      }
    }
    return best.strip();
  }

  /** 4xx other than 409 (rebalance in progress) is our request's fault: not retried. */
  private ApplicationFailure httpFailure(String action, JsonHttp.Response r) {
    String message = "Kafka Connect answered " + r.status() + " to " + action + ": " + ConnectRest.message(r);
    if (r.status() / 100 == 4 && r.status() != 409) {
      return Failures.configuration(asset, message);
    }
    return Failures.of(asset, action, new IOException(message));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
