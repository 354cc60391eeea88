package dev.lakehouse.workflows.activities;

/**
 * What a check run of one asset looks at. {@code wholeTable}: every row (a full refresh, {@code lakehouse checks
 * --full}). Otherwise the batch of a materialization: the one given ({@code inputRanges}, {@code minLsn} as in
 * {@link MaterializeResult}), or, when {@code inputRanges} is null, the asset's latest successful one in
 * {@code ops.materializations}. For a user model, {@code written} is what its incremental run wrote (null: not
 * known, or no such run; then what its latest run recorded in {@code ops.materializations} it wrote, or what its
 * last check run on this worker looked at, if that is still the table's latest write, else its whole table).
 * {@code runId} is recorded with the results.
 */
public record CheckRequest(String runId, boolean wholeTable, String inputRanges, Long minLsn, WrittenData written) {
  public CheckRequest(String runId, boolean wholeTable, String inputRanges, Long minLsn) {
    this(runId, wholeTable, inputRanges, minLsn, null);
  }

  /** The checks of the batch a materialization just wrote (or of the latest one when it read nothing). */
  public static CheckRequest after(String runId, boolean fullRefresh, MaterializeResult materialized) {
    boolean read = materialized.rowsIn() > 0 && materialized.inputRanges() != null;
    return new CheckRequest(runId, fullRefresh, read ? materialized.inputRanges() : null,
        read ? materialized.minLsn() : null, fullRefresh ? null : materialized.written());
  }
}
