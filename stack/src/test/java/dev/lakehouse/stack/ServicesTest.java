package dev.lakehouse.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
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
}
