package dev.lakehouse.workflows.activities;

import java.util.List;

/**
 * What an incremental run of a user model wrote, exactly (docs/models.md#checks): the Iceberg snapshot its
 * statement committed and the data files that snapshot added, which hold every row it inserted or updated (Trino's
 * MERGE and INSERT write new rows to new files; an updated row's old version is deleted by a delete file). No file:
 * the statement wrote no row (and committed no snapshot: {@code snapshotId} is the table's snapshot before and after).
 * The model's checks then read only these rows.
 */
public record WrittenData(long snapshotId, List<String> dataFiles) {
  public WrittenData {
    dataFiles = List.copyOf(dataFiles);
  }
}
