package dev.lakehouse.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The readers behind ComposeFileTest, so that its checks cannot pass by misreading the file. */
class ComposeParsingTest {

  private final ComposeFile compose = ComposeFile.load(Map.of("SET", "7", "EMPTY", "")::get);

  @Test
  void interpolatesLikeDockerCompose() {
    assertThat(compose.interpolate("${SET:-1}|${UNSET:-2}|${EMPTY:-3}|${EMPTY-4}|${UNSET-5}|$SET|$${SET}"))
        .isEqualTo("7|2|3||5|7|${SET}");
    assertThatThrownBy(() -> compose.interpolate("${UNSET:?give it}")).hasMessageContaining("give it");
  }

  @Test
  void readsShortAndLongPortSyntax() throws Exception {
    JsonNode service = yaml("""
        ports:
          - "127.0.0.1:${SET:-1}:80"
          - "9000:9001/tcp"
          - "5000"
          - target: 8080
            published: "18080"
            host_ip: 127.0.0.1
        """);
    assertThat(compose.ports(service)).containsExactly(
        new ComposeFile.Port("127.0.0.1", 7, 80, "127.0.0.1:${SET:-1}:80"),
        new ComposeFile.Port("", 9000, 9001, "9000:9001/tcp"),
        new ComposeFile.Port("", 0, 5000, "5000"),
        new ComposeFile.Port("127.0.0.1", 18080, 8080, service.path("ports").get(3).toString()));
  }

  @Test
  void tellsBindMountsFromNamedVolumes() throws Exception {
    JsonNode service = yaml("""
        volumes:
          - ./docker/x:/x:ro
          - data:/var/lib/data
          - /tmp
        """);
    assertThat(compose.mounts(service)).extracting(ComposeFile.Mount::source, ComposeFile.Mount::bind)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("./docker/x", true),
            org.assertj.core.groups.Tuple.tuple("data", false),
            org.assertj.core.groups.Tuple.tuple("", false));
  }

  @Test
  void readsDependsOnInBothForms() throws Exception {
    assertThat(compose.dependsOn(yaml("depends_on: [a, b]"))).containsEntry("a", "").containsEntry("b", "");
    assertThat(compose.dependsOn(yaml("depends_on: {a: {condition: service_healthy}}")))
        .containsEntry("a", "service_healthy");
  }

  @Test
  void expandsDockerfileArgsAndFindsLocalSources(@TempDir Path dir) throws Exception {
    Path dockerfile = dir.resolve("Dockerfile");
    Files.writeString(dockerfile, """
        # comment
        ARG BASE=eclipse-temurin:17-jre
        FROM --platform=linux/amd64 ${BASE} AS run
        ARG V=1.2
        ADD --chmod=644 https://example.org/x-${V}.jar /opt/
        COPY --from=run /a /b
        COPY a.sh \\
             b/c.txt /opt/
        """);
    assertThat(Dockerfiles.baseImages(dockerfile)).containsExactly("eclipse-temurin:17-jre");
    assertThat(Dockerfiles.localSources(dockerfile)).containsExactly("a.sh", "b/c.txt");
    assertThat(Dockerfiles.instructions(dockerfile)).contains("ADD --chmod=644 https://example.org/x-1.2.jar /opt/");
  }

  @Test
  void pinnedMeansATagOtherThanLatestOrADigest() {
    ComposeFileTest.assertPinned("t", "postgres:17.6");
    ComposeFileTest.assertPinned("t", "localhost:5000/x/y:1");
    ComposeFileTest.assertPinned("t", "x@sha256:0123");
    assertThatThrownBy(() -> ComposeFileTest.assertPinned("t", "postgres")).isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> ComposeFileTest.assertPinned("t", "localhost:5000/x")).isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> ComposeFileTest.assertPinned("t", "minio/minio:latest")).isInstanceOf(AssertionError.class);
  }

  private static JsonNode yaml(String text) throws Exception {
    return new ObjectMapper(new YAMLFactory()).readTree(text);
  }
}
