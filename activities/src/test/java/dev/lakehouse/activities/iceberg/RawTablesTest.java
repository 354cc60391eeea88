package dev.lakehouse.activities.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.iceberg.types.Type;
import org.junit.jupiter.api.Test;

class RawTablesTest {
  @Test
  void lsnAndTxIdAreBigintAndKafkaCoordinatesArePresent() {
    assertThat(RawTables.SCHEMA.findType("source_lsn").typeId()).isEqualTo(Type.TypeID.LONG);
    assertThat(RawTables.SCHEMA.findType("source_tx_id").typeId()).isEqualTo(Type.TypeID.LONG);
    assertThat(RawTables.SCHEMA.findType("kafka_partition").typeId()).isEqualTo(Type.TypeID.INTEGER);
    assertThat(RawTables.SCHEMA.findType("kafka_offset").typeId()).isEqualTo(Type.TypeID.LONG);
  }

  @Test
  void partitionedByKafkaPartitionSoOffsetFiltersSkipOldFiles() {
    assertThat(RawTables.PARTITIONING.fields()).singleElement()
        .satisfies(f -> assertThat(RawTables.SCHEMA.findColumnName(f.sourceId())).isEqualTo("kafka_partition"));
  }

  @Test
  void columnsInSchemaOrder() {
    assertThat(RawTables.COLUMNS).startsWith("data", "op").endsWith("kafka_timestamp", "ingested_at").hasSize(14);
  }
}
