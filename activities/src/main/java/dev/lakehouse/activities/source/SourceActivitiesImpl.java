package dev.lakehouse.activities.source;

import dev.lakehouse.activities.Failures;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.workflows.activities.SlotLag;
import dev.lakehouse.workflows.activities.SourceActivities;
import dev.lakehouse.workflows.assets.AssetGraph;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Replication slot lag on the source: WAL bytes between the server's current LSN and what the connector
 * has confirmed ({@code confirmed_flush_lsn}, or {@code restart_lsn} before the first confirmation).
 * PostgreSQL keeps that WAL on disk, so a growing lag with an inactive slot fills the source's disk.
 * A slot that does not exist (the connector creates it on its first start) is reported as inactive with
 * {@code lagBytes = -1} and {@code exists = false}; its {@code wal_status} is {@code lost} once PostgreSQL
 * invalidated it ({@code max_slot_wal_keep_size}): the health check judges both as lost changes.
 */
public class SourceActivitiesImpl implements SourceActivities {
  static final String SQL = "SELECT active, wal_status, pg_wal_lsn_diff(pg_current_wal_lsn(), "
      + "COALESCE(confirmed_flush_lsn, restart_lsn))::bigint AS lag FROM pg_replication_slots WHERE slot_name = ?";

  private final PipelineSpec spec;

  @Inject
  public SourceActivitiesImpl(PipelineSpec spec) {
    this.spec = spec;
  }

  @Override
  public SlotLag slotLag() {
    String slot = spec.source().slot();
    String url = spec.endpoints().postgres().jdbcUrl();
    try (Connection c = SourceDatabase.open(spec, "lakehouse-health"); PreparedStatement s = c.prepareStatement(SQL)) {
      s.setString(1, slot);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return new SlotLag(slot, false, -1, false, null);
        }
        boolean active = rs.getBoolean("active");
        String walStatus = rs.getString("wal_status");
        long lag = rs.getLong("lag");
        return new SlotLag(slot, active, rs.wasNull() ? -1 : lag, true, walStatus);
      }
    } catch (SQLException e) {
      throw Failures.of(AssetGraph.connectorKey(spec.sourceDatabase()), "read replication slot " + slot + " at " + url,
          e);
    }
  }
}
