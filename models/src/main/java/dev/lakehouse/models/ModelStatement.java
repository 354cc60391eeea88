package dev.lakehouse.models;

import java.util.Optional;

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
    RECORD,
    /** after a run, an optimize of a table it added files to (the runner's, not a model's SQL) */
    COMPACT
  }

  /**
   * The table a {@code MERGE INTO} or {@code INSERT INTO} statement writes, as written there
   * ({@code iceberg.data_vault.s_users}); empty for any other statement.
   */
  public Optional<String> target() {
    for (String verb : new String[] {"MERGE INTO ", "INSERT INTO "}) {
      if (sql.startsWith(verb)) {
        String rest = sql.substring(verb.length());
        int end = 0;
        while (end < rest.length() && !Character.isWhitespace(rest.charAt(end)) && rest.charAt(end) != '(') {
          end++;
        }
        return end == 0 ? Optional.empty() : Optional.of(rest.substring(0, end));
      }
    }
    return Optional.empty();
  }

  /** The first line of the SQL, for error messages. */
  public String firstLine() {
    int nl = sql.indexOf('\n');
    return nl < 0 ? sql : sql.substring(0, nl);
  }
}
