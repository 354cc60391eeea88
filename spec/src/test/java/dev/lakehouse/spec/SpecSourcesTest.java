package dev.lakehouse.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the spec comes from, what the environment map does to it, and how a broken file is reported. */
class SpecSourcesTest {
  @TempDir
  Path dir;

  private static String checkoutSpec() throws IOException {
    return Files.readString(SpecLoader.findUpwards(Path.of("").toAbsolutePath()).orElseThrow());
  }

  @Test
  void theCheckoutsFileIsFoundUpwardsFromTheWorkingDirectory() {
    // the tests run in spec/: the file is the repository's top-level one
    SpecSource source = SpecLoader.locate(Map.of());
    assertThat(source.file()).hasValueSatisfying(f -> assertThat(f.getFileName().toString()).isEqualTo("lakehouse.conf"));
    assertThat(SpecLoader.findUpwards(dir)).isEmpty();
    assertThat(SpecSource.bundled().origin()).isEqualTo("classpath:lakehouse.conf");
    // the bundled copy has no user models directory beside it (docs/models.md#user-models)
    assertThat(SpecLoader.load(SpecSource.bundled(), Map.of(), Map.of()))
        .isEqualTo(SpecLoader.load(source, Map.of(), Map.of()).withUserModels(java.util.List.of()));
  }

  @Test
  void lakehouseSpecNamesTheFile() throws IOException {
    Path file = dir.resolve("mine.conf");
    Files.writeString(file, checkoutSpec().replace("\"bank_slot\"", "\"my_slot\""));
    // its user models directory is resolved beside it: missing, the spec names it
    assertThatThrownBy(() -> SpecLoader.load(Map.of(SpecLoader.SPEC_ENV, file.toString()), Map.of()))
        .isInstanceOf(SpecException.class).hasMessageContaining("lakehouse.user-models.path: no directory "
            + dir.resolve("transform"));
    Files.createDirectories(dir.resolve("transform"));
    PipelineSpec spec = SpecLoader.load(Map.of(SpecLoader.SPEC_ENV, file.toString()), Map.of());
    assertThat(spec.source().slot()).isEqualTo("my_slot");
  }

  @Test
  void aNamedFileThatDoesNotExistIsAnErrorNotAFallback() {
    Path missing = dir.resolve("nope.conf");
    assertThatThrownBy(() -> SpecLoader.locate(Map.of(SpecLoader.SPEC_ENV, missing.toString())))
        .isInstanceOf(SpecException.class)
        .hasMessage("invalid pipeline spec (" + missing + "): LAKEHOUSE_SPEC names no readable file: set it to a"
            + " lakehouse.conf, or unset it to use the checkout's");
  }

  @Test
  void aSyntaxErrorIsOneLineWithFileAndLine() throws IOException {
    Path file = dir.resolve("broken.conf");
    Files.writeString(file, "lakehouse {\n  source {\n    slot = [a, b\n    schema = x\n  }\n}\n");
    assertThatThrownBy(() -> SpecLoader.load(Map.of(SpecLoader.SPEC_ENV, file.toString()), Map.of()))
        .isInstanceOf(SpecException.class)
        .hasMessageStartingWith("invalid pipeline spec (" + file + "): syntax error at line 4: ")
        .hasMessageContaining("List should have ended with ] or had a comma")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void substitutionsReadTheEnvironmentMapGiven() {
    PipelineSpec spec = SpecLoader.load(Map.of("LAKEHOUSE_TEMPORAL_HOST", "temporal", "LAKEHOUSE_TEMPORAL_PORT",
        "17233", "LAKEHOUSE_SOURCE_DATABASE", "shop", "LAKEHOUSE_AUTOMATION", "on",
        "LAKEHOUSE_WORKER_CONNECT_TIMEOUT_SECONDS", "5", "LAKEHOUSE_WORKER_SHUTDOWN_TIMEOUT_SECONDS", "0"), Map.of());
    assertThat(spec.endpoints().temporal().target()).isEqualTo("temporal:17233");
    assertThat(spec.sourceDatabase()).isEqualTo("shop");
    assertThat(spec.endpoints().postgres().jdbcUrl()).endsWith("/shop");
    assertThat(spec.worker()).isEqualTo(new WorkerSpec(true, Duration.ofSeconds(5), Duration.ZERO));
  }

  @Test
  void badWorkerSettingsNameTheirPath() {
    assertThatThrownBy(() -> SpecLoader.load(Map.of("LAKEHOUSE_AUTOMATION", "maybe",
        "LAKEHOUSE_WORKER_CONNECT_TIMEOUT_SECONDS", "0"), Map.of()))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("lakehouse.worker.automation: 'maybe' is neither on nor off")
        .hasMessageContaining("lakehouse.worker.connect-timeout-seconds: must be positive, got 0");
  }

  @Test
  void theLocalStacksExtraPortsDefaultFromTheMainOnes() {
    Endpoints e = SpecLoader.load(Map.of("lakehouse.endpoints.kafka.port", 19092,
        "lakehouse.endpoints.temporal.port", 17233)).endpoints();
    assertThat(e.kafka().controllerPort()).isEqualTo(19093);
    assertThat(e.flink().rpcPort()).isEqualTo(6123);
    assertThat(e.temporal().httpPort()).isEqualTo(17243);
    assertThat(e.temporal().metricsPort()).isEqualTo(17244);
    Endpoints set = SpecLoader.load(Map.of("lakehouse.endpoints.flink.rpc-port", 16123)).endpoints();
    assertThat(set.flink().rpcPort()).isEqualTo(16123);
  }

  @Test
  void overridesOfEndpointsLoadBackToTheSameEndpoints() {
    PipelineSpec base = SpecLoader.load();
    Endpoints e = base.endpoints();
    Endpoints moved = new Endpoints("127.0.0.2",
        new Endpoints.Postgres("127.0.0.2", 1, "shop", "u", "p"),
        new Endpoints.Kafka("kafka", 2, 3),
        new Endpoints.Connect("127.0.0.2", 4),
        new Endpoints.Flink("127.0.0.2", 5, "gateway", 6, 7),
        new Endpoints.IcebergRest("127.0.0.2", 8),
        new Endpoints.S3("127.0.0.2", 9, "b", "ak", "sk", "eu-west-1"),
        new Endpoints.Trino("127.0.0.2", 10, "analyst"),
        new Endpoints.Temporal("127.0.0.2", 11, 12, 13, 14, "ns", "queue"),
        new Endpoints.Console("127.0.0.2", 15));
    assertThat(moved).isNotEqualTo(e);
    PipelineSpec loaded = SpecLoader.load(SpecLoader.overrides(moved));
    assertThat(loaded.endpoints()).isEqualTo(moved);
    assertThat(loaded).isEqualTo(base.withEndpoints(moved));
  }

  @Test
  void theSourceDatabaseIsNamedOnceAnOldKeySaysWhereItWent() {
    assertThatThrownBy(() -> SpecLoader.load(Map.of("lakehouse.source.database", "bank")))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("lakehouse.source.database: no longer read: the source database is"
            + " lakehouse.endpoints.postgres.database");
  }
}
