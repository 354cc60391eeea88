package dev.lakehouse.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.workflows.automation.AutomationPlan;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Enums in workflow inputs and query answers travel as the strings recorded histories and docs/cli.md hold. */
class WireFormatTest {
  private static final DataConverter JSON = DefaultDataConverter.STANDARD_INSTANCE;

  private static String json(Object value) {
    return JSON.toPayload(value).orElseThrow().getData().toString(StandardCharsets.UTF_8);
  }

  @Test
  void aRunStatusTravelsByName() {
    RunSummary run = new RunSummary("materializer-run-1-abcdef01", "kind:model", false, RunSummary.Status.COMPLETED,
        List.of(), null);
    assertThat(json(run)).contains("\"status\":\"COMPLETED\"");
    assertThat(JSON.fromPayload(JSON.toPayload(run).orElseThrow(), RunSummary.class, RunSummary.class)).isEqualTo(run);
  }

  @Test
  void maintenanceOperationsTravelAsTheirLabels() {
    assertThat(json(AutomationPlan.extendedStatsInput())).contains("\"operations\":[\"drop_extended_stats\"]");
    assertThat(MaintenanceOperation.labels(MaintenanceOperation.values()))
        .containsExactly("optimize", "expire_snapshots", "remove_orphan_files", "drop_extended_stats", "metadata_cleanup");
    assertThat(MaintenanceOperation.fromLabel("vacuum")).isEmpty();
  }
}
