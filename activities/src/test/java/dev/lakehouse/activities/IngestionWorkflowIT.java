package dev.lakehouse.activities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lakehouse.activities.connect.ConnectActivitiesImpl;
import dev.lakehouse.activities.flink.FlinkActivitiesImpl;
import dev.lakehouse.activities.iceberg.IcebergCatalogs;
import dev.lakehouse.activities.iceberg.RawTables;
import dev.lakehouse.activities.kafka.KafkaActivitiesImpl;
import dev.lakehouse.activities.source.SourceActivitiesImpl;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import dev.lakehouse.workflows.HealthInput;
import dev.lakehouse.workflows.HealthReport;
import dev.lakehouse.workflows.IngestionHealthWorkflow;
import dev.lakehouse.workflows.IngestionSetupWorkflow;
import dev.lakehouse.workflows.SetupReport;
import dev.lakehouse.workflows.activities.CatalogActivities;
import dev.lakehouse.workflows.activities.SnapshotInfo;
import dev.lakehouse.workflows.impl.IngestionHealthWorkflowImpl;
import dev.lakehouse.workflows.impl.IngestionSetupWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ingestion workflows on a real Temporal worker (the stack's Temporal dev server) with the real
 * activities against the real stack: setup twice is one connector and one job; after the Flink job is
 * cancelled, one health check resubmits it and every Kafka record reaches the raw table exactly once.
 */
@ExtendWith(LakehouseStackExtension.class)
@Order(2) // classes share one stack: this one expects nothing in particular
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestionWorkflowIT {
  private static final String TASK_QUEUE = "ingest-it";
  private static final Duration LANDING = Duration.ofSeconds(150);

  private PipelineSpec spec;
  private WorkflowServiceStubs service;
  private WorkflowClient client;
  private WorkerFactory factory;

  /** Test-local catalog activities (the real ones live in the iceberg package, built separately). */
  static final class RawTablesCatalog implements CatalogActivities {
    private final PipelineSpec spec;

    RawTablesCatalog(PipelineSpec spec) {
      this.spec = spec;
    }

    @Override
    public List<String> ensureNamespaces() {
      try (RESTCatalog c = IcebergCatalogs.open(spec.endpoints())) {
        return RawTables.ensureNamespaces(c);
      } catch (Exception e) {
        throw Failures.of("raw_data", "ensure namespaces", e);
      }
    }

    @Override
    public List<String> ensureRawTables() {
      try (RESTCatalog c = IcebergCatalogs.open(spec.endpoints())) {
        return RawTables.ensureTables(c, spec);
      } catch (Exception e) {
        throw Failures.of("raw_data", "ensure raw tables", e);
      }
    }

    @Override
    public SnapshotInfo currentSnapshot(String tableKey) {
      throw new UnsupportedOperationException("not used by the ingestion workflows");
    }

    @Override
    public dev.lakehouse.workflows.activities.MaintenanceResult cleanUpMetadata(String tableKey) {
      throw new UnsupportedOperationException("not used by the ingestion workflows");
    }
  }

  @BeforeAll
  void startWorker() {
    Map<String, Object> overrides = new HashMap<>(LakehouseStackExtension.configOverrides());
    overrides.put("lakehouse.schedules.flink-checkpoint-interval", "3s");
    spec = SpecLoader.load(overrides);
    service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
        .setTarget(spec.endpoints().temporal().target()).build());
    client = WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder()
        .setNamespace(spec.endpoints().temporal().namespace()).build());
    factory = WorkerFactory.newInstance(client);
    Worker worker = factory.newWorker(TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(IngestionSetupWorkflowImpl.class, IngestionHealthWorkflowImpl.class);
    worker.registerActivitiesImplementations(new RawTablesCatalog(spec), new ConnectActivitiesImpl(spec),
        new FlinkActivitiesImpl(spec), new KafkaActivitiesImpl(spec), new SourceActivitiesImpl(spec));
    factory.start();
  }

  @AfterAll
  void stopWorker() {
    if (factory != null) {
      factory.shutdown();
      factory.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    }
    if (service != null) {
      service.shutdownNow();
    }
  }

  @Test
  void setupTwiceThenHealthResubmitsACancelledJobWithoutLoss() throws Exception {
    SetupReport first = setup();
    SetupReport second = setup();
    System.out.println("setup: " + first);
    assertThat(first.connector().state()).isEqualTo("RUNNING");
    assertThat(first.flinkJob().state()).isEqualTo("RUNNING");
    assertThat(first.rawTables()).containsExactly("raw_data.accounts", "raw_data.users");
    assertThat(second.flinkJob().jobId()).isEqualTo(first.flinkJob().jobId());
    assertThat(http("GET", spec.endpoints().connect().url() + "/connectors")).isEqualTo("[\"bank-connector\"]");

    String before = UUID.randomUUID() + "@before.test";
    insertUser(before);
    await().atMost(LANDING).pollInterval(Duration.ofSeconds(2)).until(() -> rowsWithEmail(before) == 1);

    // let a checkpoint complete after the row landed, then kill the job and change rows while it is down
    FlinkActivitiesImpl flink = new FlinkActivitiesImpl(spec);
    await().atMost(Duration.ofSeconds(30)).until(() -> flink.jobStatus().lastCheckpointAgeMillis() != null);
    http("PATCH", spec.endpoints().flink().url() + "/jobs/" + first.flinkJob().jobId() + "?mode=cancel");
    await().atMost(Duration.ofSeconds(60)).until(() -> flink.jobStatus().state().equals("CANCELED"));
    String during = UUID.randomUUID() + "@during.test";
    insertUser(during);

    HealthReport report = health();
    System.out.println("health: " + report);
    assertThat(report.flinkResubmitted()).isTrue();
    assertThat(report.flinkJob().state()).isEqualTo("RUNNING");
    assertThat(report.flinkJob().jobId()).isNotEqualTo(first.flinkJob().jobId());
    assertThat(report.connector().state()).isEqualTo("RUNNING");
    assertThat(report.slotLag().active()).isTrue();

    await().atMost(LANDING).pollInterval(Duration.ofSeconds(2)).until(() -> rowsWithEmail(during) == 1);
    assertThat(rowsWithEmail(before)).isEqualTo(1);
    // the count check: every non-null Kafka record of the topic is in the raw table, exactly once
    Set<Long> inKafka = RawChecks.nonNullOffsets(spec, spec.topic(spec.table("users").orElseThrow()));
    await().atMost(LANDING).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
      List<Long> inRaw = RawChecks.rawOffsets(spec, "users");
      assertThat(inRaw).doesNotHaveDuplicates();
      assertThat(new HashSet<>(inRaw)).isEqualTo(inKafka);
    });
    System.out.printf("users: %d Kafka records with a value, all in raw_data.users exactly once%n", inKafka.size());
    HealthReport healthy = health();
    assertThat(healthy.flinkResubmitted()).isFalse();
    assertThat(healthy.flinkJob().jobId()).isEqualTo(report.flinkJob().jobId());
  }

  private SetupReport setup() {
    return client.newWorkflowStub(IngestionSetupWorkflow.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TASK_QUEUE).setWorkflowId("ingestion-setup-it-" + UUID.randomUUID())
        .setWorkflowExecutionTimeout(Duration.ofMinutes(10)).build()).run();
  }

  private HealthReport health() {
    return client.newWorkflowStub(IngestionHealthWorkflow.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TASK_QUEUE).setWorkflowId("ingestion-health-it-" + UUID.randomUUID())
        .setWorkflowExecutionTimeout(Duration.ofMinutes(10)).build()).check(new HealthInput(120_000));
  }

  private void insertUser(String email) throws Exception {
    var pg = spec.endpoints().postgres();
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO users (email, name) VALUES ('" + email + "', 'it')");
    }
  }

  private long rowsWithEmail(String email) throws Exception {
    try (Connection c = RawChecks.trino(spec); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM iceberg.raw_data.users "
            + "WHERE json_value(data, 'lax $.email') = '" + email + "'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private String http(String method, String url) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode() / 100).as("%s %s: %s", method, url, r.body()).isEqualTo(2);
    return r.body();
  }
}
