package dev.lakehouse.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.workflows.activities.CheckRequest;
import dev.lakehouse.workflows.activities.MaterializeResult;
import dev.lakehouse.workflows.activities.WrittenData;
import dev.lakehouse.workflows.automation.AutomationPlan;
import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
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

  /**
   * What a user model's incremental run wrote travels from its result to its checks' request (not after a full
   * refresh: its checks read the whole table), and a result recorded before it existed still reads, without it.
   */
  @Test
  void whatAUserModelsRunWroteTravelsToItsChecks() {
    WrittenData written = new WrittenData(4242L, List.of("s3://warehouse/marts/a/data/x.parquet"));
    MaterializeResult result = new MaterializeResult("marts.a", 3, 3, 0, null, null, null, written);
    MaterializeResult read = JSON.fromPayload(JSON.toPayload(result).orElseThrow(), MaterializeResult.class,
        MaterializeResult.class);
    assertThat(read).isEqualTo(result);
    assertThat(CheckRequest.after("run-1", false, read).written()).isEqualTo(written);
    assertThat(CheckRequest.after("run-1", true, read).written()).isNull();
    // as a history recorded before the field holds it
    Payload old = Payload.newBuilder().putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFromUtf8("{\"assetKey\":\"marts.a\",\"rowsIn\":3,\"rowsOut\":3,\"rowsRejected\":0,"
            + "\"inputRanges\":null,\"minLsn\":null,\"record\":null}")).build();
    MaterializeResult before = JSON.fromPayload(old, MaterializeResult.class, MaterializeResult.class);
    assertThat(before).isEqualTo(new MaterializeResult("marts.a", 3, 3, 0));
    assertThat(CheckRequest.after("run-1", false, before).written()).isNull();
  }
}
