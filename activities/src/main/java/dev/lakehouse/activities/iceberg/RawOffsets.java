package dev.lakehouse.activities.iceberg;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.TableSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;

/**
 * The Kafka position each raw table has committed: per partition, one past the highest {@code kafka_offset} in its
 * data files, read from the files' column metrics (manifests only, no data file is opened; a long's upper bound is
 * exact). What the ingest job must resume from to write nothing twice.
 */
public final class RawOffsets {
  private RawOffsets() {}

  /** By spec table, by Kafka partition: the next offset to ingest. Tables without rows (or not created) are absent. */
  public static Map<String, Map<Integer, Long>> next(PipelineSpec spec) throws IOException {
    Map<String, Map<Integer, Long>> out = new HashMap<>();
    try (RESTCatalog catalog = IcebergCatalogs.open(spec.endpoints())) {
      for (TableSpec t : spec.tables()) {
        TableIdentifier id = RawTables.identifier(t);
        Table table;
        try {
          table = catalog.loadTable(id);
        } catch (NoSuchTableException e) {
          continue;
        }
        Map<Integer, Long> next = next(table);
        if (!next.isEmpty()) {
          out.put(t.name(), next);
        }
      }
    }
    return out;
  }

  static Map<Integer, Long> next(Table table) throws IOException {
    Types.NestedField partition = table.schema().findField("kafka_partition");
    Types.NestedField offset = table.schema().findField("kafka_offset");
    Map<Integer, Long> next = new HashMap<>();
    if (table.currentSnapshot() == null) {
      return next;
    }
    try (CloseableIterable<FileScanTask> tasks = table.newScan().includeColumnStats().planFiles()) {
      for (FileScanTask task : tasks) {
        DataFile file = task.file();
        Integer p = bound(file.upperBounds(), partition);
        Integer lowP = bound(file.lowerBounds(), partition);
        Long high = bound(file.upperBounds(), offset);
        if (p == null || !p.equals(lowP) || high == null) {
          throw new IOException("data file " + file.path() + " of " + table.name() + " has no kafka_partition and"
              + " kafka_offset bounds for one partition: cannot tell its Kafka position");
        }
        next.merge(p, high + 1, Math::max);
      }
    }
    return next;
  }

  private static <T> T bound(Map<Integer, ByteBuffer> bounds, Types.NestedField field) {
    ByteBuffer b = bounds == null ? null : bounds.get(field.fieldId());
    return b == null ? null : Conversions.fromByteBuffer(field.type(), b);
  }
}
