package dev.lakehouse.activities.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotScansTest {
  @Test
  void tableScanCompletedNotificationsAreParsedAndTheRestSkipped() {
    List<String> values = Arrays.asList(
        "{\"id\":\"r1-transactions\",\"aggregate_type\":\"Incremental Snapshot\",\"type\":\"STARTED\","
            + "\"additional_data\":{\"connector_name\":\"bank\",\"data_collections\":\"public.transactions\"},"
            + "\"timestamp\":1}",
        "{\"id\":\"r1-transactions\",\"aggregate_type\":\"Incremental Snapshot\",\"type\":\"TABLE_SCAN_COMPLETED\","
            + "\"additional_data\":{\"scanned_collection\":\"public.transactions\",\"total_rows_scanned\":\"3\","
            + "\"status\":\"SQL_EXCEPTION\"},\"timestamp\":2}",
        "{\"id\":\"r1-transactions#2\",\"aggregate_type\":\"Incremental Snapshot\","
            + "\"type\":\"TABLE_SCAN_COMPLETED\",\"additional_data\":{\"scanned_collection\":\"public.transactions\","
            + "\"total_rows_scanned\":\"3\",\"status\":\"SUCCEEDED\"},\"timestamp\":3}",
        "not json", null);
    assertThat(SnapshotScans.parse("public", values)).containsExactly(
        new SnapshotScans.Scan("r1-transactions", "transactions", "SQL_EXCEPTION", 3),
        new SnapshotScans.Scan("r1-transactions#2", "transactions", "SUCCEEDED", 3));
  }
}
