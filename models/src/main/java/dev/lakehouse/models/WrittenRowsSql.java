package dev.lakehouse.models;

import dev.lakehouse.workflows.activities.WrittenData;
import java.util.stream.Collectors;

/**
 * The SQL of the rows an incremental run of a user model wrote (docs/models.md#checks), what {@link WrittenData}
 * says: the Iceberg snapshot its {@code MERGE} or {@code INSERT} committed, and the data files that snapshot added.
 * Trino writes every row such a statement inserts or updates to new data files (an updated row's old version is
 * removed by a delete file, never rewritten in place), so the rows of those files, read while the snapshot is still
 * the table's current one, are the rows the run wrote and nothing else. Found by {@link #currentQuery} before the
 * statement and {@link #addedQuery} after it: exact only when the snapshot after is the one before, or its child (no
 * other commit in between). The run records them in {@code ops.materializations} ({@link OpsSql#WRITTEN_COLUMNS}),
 * where a check run that was not told them reads them back ({@link #recordedQuery}).
 */
public final class WrittenRowsSql {
  private WrittenRowsSql() {}

  /** The written rows of {@code asset}'s table: those of the added files (Trino prunes by {@code $path}). */
  public static String scope(String asset, WrittenData written) {
    if (written.dataFiles().isEmpty()) {
      return "SELECT * FROM " + ModelSql.table(asset) + " WHERE FALSE";
    }
    return "SELECT * FROM " + ModelSql.table(asset) + "\nWHERE \"$path\" IN ("
        + written.dataFiles().stream().map(Sql::string).collect(Collectors.joining(",\n  ", "\n  ", "\n")) + ")";
  }

  /** The snapshot id of the table's current state (one row; none when it has no snapshot). */
  public static String currentQuery(String asset) {
    return "SELECT snapshot_id FROM " + metadataTable(asset, "refs") + " WHERE name = 'main'";
  }

  /**
   * After the run's statement: the table's current snapshot, its parent, and each data file it added (one row per
   * file; one row with a NULL file when it added none).
   */
  public static String addedQuery(String asset) {
    return "SELECT r.snapshot_id, s.parent_id, e.data_file.file_path\n"
        + "FROM " + metadataTable(asset, "refs") + " r\n"
        + "JOIN " + metadataTable(asset, "snapshots") + " s ON s.snapshot_id = r.snapshot_id\n"
        + "LEFT JOIN " + metadataTable(asset, "entries") + " e\n"
        + "  ON e.snapshot_id = r.snapshot_id AND e.status = 1 AND e.data_file.content = 0\n"
        + "WHERE r.name = 'main'";
  }

  /**
   * What the model's latest successful run recorded it wrote: one row ({@code written_snapshot},
   * {@code written_files}), NULLs when not known; no row before its first run. Fails (a column that cannot be
   * resolved) on a table without those columns: no user model has run on it since an older version created it.
   */
  public static String recordedQuery(String asset) {
    return "SELECT written_snapshot, written_files FROM " + OpsSql.TABLE + "\n"
        + "WHERE asset = " + Sql.string(asset) + " AND status = " + OpsSql.Status.SUCCEEDED.literal() + "\n"
        + "ORDER BY finished_at DESC\n"
        + "LIMIT 1";
  }

  /** An Iceberg metadata table of {@code asset}'s table ({@code iceberg.marts."x$refs"}). */
  private static String metadataTable(String asset, String kind) {
    int dot = asset.indexOf('.');
    return Sql.CATALOG + "." + Sql.id(asset.substring(0, dot)) + "." + Sql.id(asset.substring(dot + 1) + "$" + kind);
  }
}
