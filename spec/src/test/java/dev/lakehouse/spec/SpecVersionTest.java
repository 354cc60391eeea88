package dev.lakehouse.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecVersionTest {
  @Test
  void theSameSpecOnOtherPortsIsTheSameVersionAndATableOrAScheduleChangesIt() {
    PipelineSpec spec = SpecLoader.load(Map.of());
    String version = SpecVersion.of(spec);
    assertThat(version).matches("[0-9a-f]{8}");
    assertThat(SpecVersion.of(SpecLoader.load(Map.of("lakehouse.endpoints.trino.port", "18080"))))
        .isEqualTo(version);
    assertThat(SpecVersion.of(SpecLoader.load(Map.of("lakehouse.schedules.sensor-interval", "2s"))))
        .isNotEqualTo(version);
    TableSpec users = spec.table("users").orElseThrow();
    SpecStructure more = new SpecStructure(List.of(spec.tables().get(0), spec.tables().get(1),
        new TableSpec("transactions", List.of("id"), users.columns())), spec.hubs(), spec.links(),
        spec.satellites());
    assertThat(SpecVersion.of(spec.withStructure(more))).isNotEqualTo(version);
  }

  @Test
  void mapsAreCanonicalWhateverTheirIterationOrder() {
    Map<String, Integer> ab = new LinkedHashMap<>();
    ab.put("a", 1);
    ab.put("b", 2);
    Map<String, Integer> ba = new LinkedHashMap<>();
    ba.put("b", 2);
    ba.put("a", 1);
    assertThat(SpecVersion.canonical(ab)).isEqualTo(SpecVersion.canonical(ba));
  }
}
