package dev.lakehouse.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Always-on checks of the Docker stack's {@code docker-compose.yml} (no Docker engine needed): the
 * pipeline's services are there, publish the spec's host ports on 127.0.0.1 only, use pinned
 * images, have healthchecks and health-gated dependencies, and everything they mount or build from
 * exists in the repository.
 */
class ComposeFileTest {

  /** Metabase is not a pipeline endpoint, so it is not in lakehouse.conf: the compose file fixes 3001. */
  static final int METABASE_HOST_PORT = 3001;

  static final Set<String> REQUIRED_SERVICES = Set.of(
      "postgres", "kafka", "connect", "flink-jobmanager", "flink-taskmanager", "flink-sql-gateway",
      "minio", "minio-init", "iceberg-rest", "trino", "temporal", "temporal-ui", "metabase",
      "metabase-provision", "worker", "console");

  /** What the Maven reactor builds before {@code docker compose build}: the images copy only these. */
  static final Set<String> BUILD_OUTPUTS = Set.of("worker/target/lakehouse-worker.jar",
      "console/target/lakehouse-console.jar");

  static ComposeFile compose;
  static Config spec;

  @BeforeAll
  static void load() {
    compose = ComposeFile.load(System::getenv);
    spec = ComposeFile.spec(compose.root).getConfig("lakehouse.endpoints");
  }

  @Test
  void hasEveryServiceThePipelineNeeds() {
    assertThat(compose.services().keySet()).containsAll(REQUIRED_SERVICES);
  }

  @Test
  void publishesTheSpecsHostPorts() {
    Map<String, Integer> expected = new LinkedHashMap<>();
    expected.put("postgres", spec.getInt("postgres.port"));
    expected.put("kafka", spec.getInt("kafka.port"));
    expected.put("connect", spec.getInt("connect.port"));
    expected.put("flink-jobmanager", spec.getInt("flink.port"));
    expected.put("flink-sql-gateway", spec.getInt("flink.sql-gateway-port"));
    expected.put("iceberg-rest", spec.getInt("iceberg-rest.port"));
    expected.put("minio", spec.getInt("s3.port"));
    expected.put("trino", spec.getInt("trino.port"));
    expected.put("temporal", spec.getInt("temporal.port"));
    expected.put("temporal-ui", spec.getInt("temporal.ui-port"));
    expected.put("metabase", METABASE_HOST_PORT);
    expected.put("console", spec.getInt("console.port"));

    Map<String, JsonNode> services = compose.services();
    expected.forEach((service, port) -> assertThat(compose.ports(services.get(service)))
        .as("%s publishes host port %d (lakehouse.endpoints)", service, port)
        .extracting(ComposeFile.Port::published)
        .contains(port));
  }

  @Test
  void specBindsLoopbackOnly() {
    assertThat(spec.getString("host")).isEqualTo("127.0.0.1");
  }

  @Test
  void bindsEveryHostPortToLoopbackAndNoPortTwice() {
    Map<Integer, String> seen = new HashMap<>();
    compose.services().forEach((name, service) -> {
      for (ComposeFile.Port p : compose.ports(service)) {
        assertThat(p.hostIp()).as("%s port %s must be bound to 127.0.0.1", name, p.raw()).isEqualTo("127.0.0.1");
        assertThat(p.published()).as("%s port %s must name its host port", name, p.raw()).isPositive();
        String other = seen.put(p.published(), name);
        assertThat(other).as("host port %d published by %s and %s", p.published(), other, name).isNull();
      }
    });
  }

  @Test
  void pinsEveryImageOrBuildsIt() {
    compose.services().forEach((name, service) -> {
      boolean builds = !compose.build(service).isMissingNode();
      String image = compose.interpolate(service.path("image").asText(""));
      if (!builds) {
        assertThat(image).as("%s needs an image or a build", name).isNotEmpty();
        assertPinned(name, image);
      } else if (!image.isEmpty()) {
        // the local name a build is tagged with: still never "latest"
        assertPinned(name, image);
      }
    });
  }

  @Test
  void pinsEveryDockerfileBaseImage() {
    List<Path> dockerfiles = dockerfiles();
    assertThat(dockerfiles).isNotEmpty();
    for (Path dockerfile : dockerfiles) {
      List<String> bases = Dockerfiles.baseImages(dockerfile);
      assertThat(bases).as("%s has a FROM", dockerfile).isNotEmpty();
      bases.forEach(image -> assertPinned(compose.root.relativize(dockerfile).toString(), image));
    }
  }

  @Test
  void givesEveryLongRunningServiceAHealthcheck() {
    compose.services().forEach((name, service) -> {
      if (compose.isOneShot(service)) {
        assertThat(service.path("healthcheck").isMissingNode())
            .as("one-shot %s exits, so it has no healthcheck", name).isTrue();
        assertThat(service.path("restart").asText("no")).as("one-shot %s is not restarted", name).isEqualTo("no");
        return;
      }
      JsonNode hc = service.path("healthcheck");
      assertThat(hc.isObject()).as("%s has a healthcheck (or is labelled %s)", name, ComposeFile.ONE_SHOT_LABEL)
          .isTrue();
      assertThat(hc.path("disable").asBoolean(false)).as("%s healthcheck disabled", name).isFalse();
      JsonNode test = hc.path("test");
      assertThat(test.isArray() ? test.size() > 1 : !test.asText("").isBlank())
          .as("%s healthcheck has a test", name).isTrue();
      if (test.isArray()) {
        assertThat(test.get(0).asText()).as("%s healthcheck test form", name).isIn("CMD", "CMD-SHELL");
      }
    });
  }

  @Test
  void gatesEveryDependencyOnHealthOrCompletion() {
    Map<String, JsonNode> services = compose.services();
    services.forEach((name, service) -> compose.dependsOn(service).forEach((dep, condition) -> {
      assertThat(services).as("%s depends on unknown service %s", name, dep).containsKey(dep);
      String expected = compose.isOneShot(services.get(dep))
          ? "service_completed_successfully"
          : "service_healthy";
      assertThat(condition).as("%s depends_on %s condition", name, dep).isEqualTo(expected);
    }));
  }

  @Test
  void oneShotsWaitForWhatTheyWorkOn() {
    // a one-shot starts only once what it sets up (a bucket, Metabase) is healthy
    compose.services().forEach((name, service) -> {
      if (compose.isOneShot(service)) {
        assertThat(compose.dependsOn(service)).as("one-shot %s waits for what it works on", name).isNotEmpty();
      }
    });
  }

  @Test
  void mountsAndBuildsOnlyWhatTheRepositoryHolds() {
    Set<String> declaredVolumes = new java.util.HashSet<>();
    compose.tree.path("volumes").fieldNames().forEachRemaining(declaredVolumes::add);

    compose.services().forEach((name, service) -> {
      for (ComposeFile.Mount m : compose.mounts(service)) {
        if (m.bind()) {
          assertThat(m.source()).as("%s bind mount %s must be a path inside the repository", name, m.raw())
              .startsWith("./");
          Path source = compose.root.resolve(m.source()).normalize();
          assertThat(source).as("%s mounts %s", name, m.raw()).exists();
          assertThat(source.startsWith(compose.root)).as("%s mount %s stays in the repository", name, m.raw())
              .isTrue();
        } else if (!m.source().isEmpty()) {
          assertThat(declaredVolumes).as("%s uses undeclared volume %s", name, m.source()).contains(m.source());
        }
      }
      JsonNode build = compose.build(service);
      if (!build.isMissingNode()) {
        Path context = compose.root.resolve(compose.interpolate(build.path("context").asText("."))).normalize();
        assertThat(context).as("%s build context", name).isDirectory();
        assertThat(context.startsWith(compose.root)).as("%s build context stays in the repository", name).isTrue();
        Path dockerfile = context.resolve(compose.interpolate(build.path("dockerfile").asText("Dockerfile")));
        assertThat(dockerfile).as("%s Dockerfile", name).isRegularFile();
        for (String src : Dockerfiles.localSources(dockerfile)) {
          if (src.contains("/target/")) {
            // built by the Maven reactor before `docker compose build`
            assertThat(src).as("%s copies a build output", name).isIn(BUILD_OUTPUTS);
            continue;
          }
          assertThat(context.resolve(src)).as("%s: %s copies %s", name, compose.root.relativize(dockerfile), src)
              .exists();
        }
      }
    });
  }

  @Test
  void sourceDatabaseIsReadyForDebezium() throws IOException {
    JsonNode postgres = compose.services().get("postgres");
    assertThat(compose.interpolate(postgres.path("command").toString())).contains("wal_level=logical");
    assertThat(postgres.path("environment").path("POSTGRES_DB").asText()).isEqualTo(spec.getString("postgres.database"));

    ComposeFile.Mount init = compose.mounts(postgres).stream()
        .filter(m -> m.target().equals("/docker-entrypoint-initdb.d")
            || m.target().startsWith("/docker-entrypoint-initdb.d/"))
        .findFirst().orElseThrow(() -> new AssertionError("postgres mounts no init SQL"));
    Path source = compose.root.resolve(init.source()).normalize();
    StringBuilder sql = new StringBuilder();
    try (Stream<Path> files = Files.isDirectory(source) ? Files.list(source) : Stream.of(source)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".sql")).sorted().toList()) {
        sql.append(Files.readString(f)).append('\n');
      }
    }
    String text = sql.toString().toLowerCase(java.util.Locale.ROOT).replaceAll("\\s+", " ");
    assertThat(text)
        .contains("create table if not exists users")
        .contains("create table if not exists accounts")
        .contains("alter table users replica identity full")
        .contains("alter table accounts replica identity full")
        // the ingestion setup makes the publication from the spec's tables, before it creates the connector
        .doesNotContain("create publication");
  }

  @Test
  void connectResolvesTheReplicationPasswordTheWorkerConfiguresFromItsEnvironment() {
    JsonNode connect = compose.services().get("connect").path("environment");
    JsonNode worker = compose.services().get("worker").path("environment");
    // the connector config holds ${env:LAKEHOUSE_REPLICATION_PASSWORD}; Connect resolves it, and only it
    assertThat(connect.path("CONNECT_CONFIG_PROVIDERS").asText()).isEqualTo("env");
    assertThat(connect.path("CONNECT_CONFIG_PROVIDERS_ENV_CLASS").asText())
        .isEqualTo("org.apache.kafka.common.config.provider.EnvVarConfigProvider");
    assertThat(compose.interpolate(connect.path("CONNECT_CONFIG_PROVIDERS_ENV_PARAM_ALLOWLIST_PATTERN").asText()))
        .isEqualTo("^LAKEHOUSE_REPLICATION_PASSWORD$");
    assertThat(compose.interpolate(connect.path("LAKEHOUSE_REPLICATION_PASSWORD").asText()))
        .isNotEmpty().isEqualTo(compose.interpolate(worker.path("LAKEHOUSE_REPLICATION_PASSWORD").asText()));
  }

  @Test
  void theCatalogUsesOneSqliteConnectionInTurn() {
    JsonNode env = compose.services().get("iceberg-rest").path("environment");
    // two pooled connections fail parallel commits with SQLITE_BUSY_SNAPSHOT (HTTP 500, commit state unknown)
    assertThat(env.path("CATALOG_CLIENTS").asText()).isEqualTo("1");
    assertThat(env.path("CATALOG_URI").asText()).startsWith("jdbc:sqlite:").contains("journal_mode=WAL");
  }

  @Test
  void temporalHasItsOwnDatabase() {
    JsonNode temporal = compose.services().get("temporal");
    String seeds = compose.interpolate(temporal.path("environment").path("POSTGRES_SEEDS").asText());
    assertThat(seeds).isNotEqualTo("postgres");
    assertThat(compose.services()).containsKey(seeds);
    assertThat(compose.dependsOn(temporal)).containsKey(seeds);
  }

  @Test
  void kafkaAdvertisesAListenerPerSideOfThePublishedPort() {
    JsonNode env = compose.services().get("kafka").path("environment");
    String advertised = compose.interpolate(env.path("KAFKA_ADVERTISED_LISTENERS").asText());
    int hostPort = spec.getInt("kafka.port");
    assertThat(advertised).contains("//kafka:").contains("//127.0.0.1:" + hostPort);
    ComposeFile.Port published = compose.ports(compose.services().get("kafka")).get(0);
    assertThat(compose.interpolate(env.path("KAFKA_LISTENERS").asText()))
        .as("the host listener is on the published container port").contains(":" + published.target());
  }

  @Test
  void consoleListensInTheNetworkIsPublishedOnLoopbackAndLinksToTheHostsTemporalUi() {
    JsonNode console = compose.services().get("console");
    JsonNode env = console.path("environment");
    // 127.0.0.1 inside a container is unreachable through a published port: it listens on every interface there
    assertThat(env.path("LAKEHOUSE_CONSOLE_HOST").asText()).isEqualTo("0.0.0.0");
    ComposeFile.Port port = compose.ports(console).get(0);
    assertThat(port.hostIp()).isEqualTo("127.0.0.1");
    assertThat(port.published()).isEqualTo(spec.getInt("console.port"));
    assertThat(port.target()).as("the container port is the spec's console port, which it listens on")
        .isEqualTo(spec.getInt("console.port"));
    // it reads Trino and Temporal by their names in the network
    assertThat(env.path("LAKEHOUSE_TRINO_HOST").asText()).isEqualTo("trino");
    assertThat(env.path("LAKEHOUSE_TEMPORAL_HOST").asText()).isEqualTo("temporal");
    // the run links open in a browser on the host: the UI as temporal-ui publishes it
    int uiPort = compose.ports(compose.services().get("temporal-ui")).get(0).published();
    assertThat(compose.interpolate(env.path("LAKEHOUSE_TEMPORAL_UI_URL").asText()))
        .isEqualTo("http://localhost:" + uiPort);
    if (System.getenv("LAKEHOUSE_TEMPORAL_UI_URL") == null) {
      assertThat(ComposeFile.spec(compose.root).hasPath("lakehouse.alerts.ui-url"))
          .as("without the variable, lakehouse.conf sets no ui-url").isFalse();
    }
    // the spec and the user models (assets of its graph) where the worker has them
    assertThat(compose.mounts(console)).extracting(ComposeFile.Mount::raw)
        .containsAll(compose.mounts(compose.services().get("worker")).stream().map(ComposeFile.Mount::raw).toList());
    assertThat(env.path("LAKEHOUSE_SPEC").asText()).isEqualTo("/app/lakehouse.conf");
    // it answers while Trino and Temporal are down: nothing holds its start back
    assertThat(compose.dependsOn(console)).isEmpty();
    assertThat(console.path("healthcheck").path("test").toString()).contains("/dev/tcp/127.0.0.1/"
        + spec.getInt("console.port"));
  }

  private static List<Path> dockerfiles() {
    List<Path> out = new ArrayList<>();
    compose.services().values().forEach(service -> {
      JsonNode build = compose.build(service);
      if (!build.isMissingNode()) {
        Path context = compose.root.resolve(compose.interpolate(build.path("context").asText("."))).normalize();
        Path dockerfile = context.resolve(compose.interpolate(build.path("dockerfile").asText("Dockerfile"))).normalize();
        if (!out.contains(dockerfile)) {
          out.add(dockerfile);
        }
      }
    });
    return out;
  }

  static void assertPinned(String where, String image) {
    assertThat(image).as("%s image", where).doesNotContain("${");
    if (image.contains("@sha256:")) {
      return;
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    assertThat(colon).as("%s: image %s has no tag", where, image).isGreaterThan(slash);
    String tag = image.substring(colon + 1);
    assertThat(tag).as("%s: image %s", where, image).isNotBlank().isNotEqualToIgnoringCase("latest");
  }
}
