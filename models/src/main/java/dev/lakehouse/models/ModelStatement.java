package dev.lakehouse.models;

/**
 * One SQL statement of a model run. {@link Role} tells the runner what its update count means: rows written
 * to the model ({@code MODEL}), rows written to the rejects table ({@code REJECTS}), or bookkeeping.
 */
public record ModelStatement(Role role, String sql) {
  public enum Role {
    /** CREATE SCHEMA/TABLE IF NOT EXISTS, CREATE OR REPLACE VIEW: safe to repeat */
    DDL,
    /** full refresh: the ops row that resets the watermark (when the rebuild reads less than it covers) */
    RESET,
    /** rows into parsed_data.rejected_* */
    REJECTS,
    /** rows into the model table */
    MODEL,
    /** the satellite's latest-row-per-key table */
    STATE,
    /** the ops.materializations row, always last */
    RECORD
  }

  /** The first line of the SQL, for error messages. */
  public String firstLine() {
    int nl = sql.indexOf('\n');
    return nl < 0 ? sql : sql.substring(0, nl);
  }
}
