package dev.lakehouse.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServicesTest {

  private static List<String> names(List<Service> services) {
    return services.stream().map(Service::name).toList();
  }

  @Test
  void allEightInDependencyOrder() {
    List<String> all = names(Services.all());
    assertThat(all).containsExactly("s3", "iceberg-rest", "postgres", "kafka", "connect", "temporal", "flink", "trino");
    for (Service s : Services.all()) {
      for (String dep : s.dependsOn()) {
        assertThat(all.indexOf(dep)).as(s.name() + " after " + dep).isLessThan(all.indexOf(s.name()));
      }
    }
  }

  @Test
  void selectAddsDependencies() {
    assertThat(names(Services.select(List.of("trino")))).containsExactly("s3", "iceberg-rest", "trino");
    assertThat(names(Services.select(List.of("connect", "postgres")))).containsExactly("postgres", "kafka", "connect");
    assertThat(names(Services.select(List.of()))).hasSize(8);
  }

  @Test
  void selectRejectsUnknownNames() {
    assertThatThrownBy(() -> Services.select(List.of("trnio")))
        .hasMessageContaining("unknown service 'trnio'").hasMessageContaining("trino");
  }

  @Test
  void serviceJvmsRunSerialFromASmallHeapAndTrimTheirNativeHeapUnlessTheySetTheirOwn() {
    StackContext ctx = new StackContext(null, null, Path.of("/home"), Path.of("/services"), Path.of("/jdk/bin/java"),
        s -> {});
    List<String> small = Services.java(ctx, ctx.java(), List.of("-Xmx256m"), "lib/*", "Main", "arg");
    assertThat(small).startsWith("/jdk/bin/java", "-Xmx256m", "-Dlakehouse.home=/home")
        .contains("-XX:+UseSerialGC", "-Xms" + Services.INITIAL_HEAP).endsWith("-cp", "lib/*", "Main", "arg")
        .containsAll(Services.nativeHeapTrim(Runtime.version()));
    List<String> own = Services.java(ctx, ctx.java(), List.of("-XX:+UseG1GC", "-Xms512m"), null, "Main");
    assertThat(own).doesNotContain("-XX:+UseSerialGC", "-Xms" + Services.INITIAL_HEAP).doesNotContain("-cp");
  }

  @Test
  void nativeHeapTrimOnlyOnJdksThatHaveTheFlag() {
    for (String without : List.of("17.0.8", "19.0.2", "20.0.1", "21")) {
      assertThat(Services.nativeHeapTrim(Runtime.Version.parse(without))).as(without).isEmpty();
    }
    for (String with : List.of("17.0.9", "17.0.15", "21.0.1", "22", "25.0.3")) {
      assertThat(Services.nativeHeapTrim(Runtime.Version.parse(with))).as(with)
          .containsExactly("-XX:+UnlockExperimentalVMOptions", "-XX:TrimNativeHeapInterval=10000");
    }
  }

  @Test
  void temporalRunsGoGcAt50UnlessTheOperatorSetsGogc() {
    assertThat(TemporalService.goEnv(Map.of("PATH", "/bin"))).containsExactly(Map.entry("GOGC", "50"));
    assertThat(TemporalService.goEnv(Map.of("GOGC", "200"))).isEmpty();
  }
}
