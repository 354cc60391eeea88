package dev.lakehouse.activities.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.models.RawColumns;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
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
  void columnsInSchemaOrderWithTheFieldIdsOfTablesAlreadyCreated() {
    assertThat(RawTables.SCHEMA.columns()).extracting(Types.NestedField::name).isEqualTo(RawColumns.NAMES);
    assertThat(RawTables.SCHEMA.findField("data").fieldId()).isEqualTo(1);
    assertThat(RawTables.SCHEMA.findField("ingested_at").fieldId()).isEqualTo(14);
    assertThat(RawTables.SCHEMA.findType("ingested_at")).isEqualTo(Types.TimestampType.withZone());
    assertThat(RawTables.SCHEMA.findType("data")).isEqualTo(Types.StringType.get());
  }
}
