package dev.lakehouse.activities.trino;

import dev.lakehouse.activities.Heartbeats;
import dev.lakehouse.models.MaintenanceSql;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.workflows.MaintenanceOperation;
import dev.lakehouse.workflows.activities.MaintenanceActivities;
import dev.lakehouse.workflows.activities.MaintenanceResult;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MaintenanceActivities} through Trino: runs the statements of {@link MaintenanceSql} (Iceberg table
 * procedures) over its table groups. A table that does not exist yet is skipped, not an error.
 */
public final class MaintenanceActivitiesImpl implements MaintenanceActivities {
  private static final Logger log = LoggerFactory.getLogger(MaintenanceActivitiesImpl.class);
  private static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(30);
  private final PipelineSpec spec;
  private final TrinoConnections connections;
  private final Duration flinkCommitMargin;

  /** Trino at {@code spec.endpoints().trino()}. */
  @Inject
  public MaintenanceActivitiesImpl(PipelineSpec spec) {
    this(spec, MaintenanceSql.FLINK_COMMIT_MARGIN);
  }

  /** With a margin of its own before a Flink sink's last commit: a test's snapshots are seconds, not hours, apart. */
  MaintenanceActivitiesImpl(PipelineSpec spec, Duration flinkCommitMargin) {
    this.spec = spec;
    this.connections = new TrinoConnections(spec.trino());
    this.flinkCommitMargin = flinkCommitMargin;
  }

  @Override
  public List<String> tables(String group) {
    try {
      return MaintenanceSql.tables(spec, group);
    } catch (IllegalArgumentException e) {
      throw TrinoErrors.of("maintenance", "list tables", e);
    }
  }

  @Override
  public MaintenanceResult optimize(String table, String fileSizeThreshold) {
    return execute(table, MaintenanceOperation.OPTIMIZE, () -> MaintenanceSql.optimize(table, fileSizeThreshold));
  }

  /**
   * Never expires a Flink sink's last commit to the table, nor any newer snapshot, whatever {@code retention}: its
   * restore walks back to that commit, and one it does not find commits the restored checkpoint's files again
   * (duplicates). See {@link MaintenanceSql#expireSnapshots(String, String, Duration, Duration)}.
   */
  @Override
  public MaintenanceResult expireSnapshots(String table, String retention) {
    return execute(table, MaintenanceOperation.EXPIRE_SNAPSHOTS, () -> MaintenanceSql.expireSnapshots(table, retention),
        st -> {
          Duration age = null;
          try (ResultSet rs = st.executeQuery(MaintenanceSql.lastFlinkCommitAgeQuery(table))) {
            if (rs.next()) {
              long millis = rs.getLong(1);
              age = rs.wasNull() ? null : Duration.ofMillis(Math.max(0, millis));
            }
          }
          return MaintenanceSql.expireSnapshots(table, retention, age, flinkCommitMargin);
        });
  }

  @Override
  public MaintenanceResult removeOrphanFiles(String table, String retention) {
    return execute(table, MaintenanceOperation.REMOVE_ORPHAN_FILES,
        () -> MaintenanceSql.removeOrphanFiles(table, retention));
  }

  @Override
  public MaintenanceResult dropExtendedStats(String table) {
    return execute(table, MaintenanceOperation.DROP_EXTENDED_STATS, () -> MaintenanceSql.dropExtendedStats(table));
  }

  private MaintenanceResult execute(String table, MaintenanceOperation op, Supplier<String> statement) {
    return execute(table, op, statement, st -> statement.get());
  }

  /** What to run once the table is known to exist, read through the open statement. */
  private interface Reading {
    String sql(Statement st) throws SQLException;
  }

  /**
   * Runs {@code reading}'s statement on {@code table} if it exists; {@code statement} is built first, before any
   * connection, so an input no run could fix fails as configuration.
   */
  private MaintenanceResult execute(String table, MaintenanceOperation op, Supplier<String> statement,
      Reading reading) {
    String operation = op.label();
    String sql;
    String exists;
    try {
      sql = statement.get();
      exists = MaintenanceSql.existsQuery(table);
    } catch (IllegalArgumentException e) {
      throw TrinoErrors.of(table, operation, e);
    }
    long started = System.nanoTime();
    AtomicReference<String> step = new AtomicReference<>("connecting");
    AtomicReference<Statement> running = new AtomicReference<>();
    // an optimize or orphan-file scan can run for many minutes: beat well inside the 5-minute heartbeat timeout,
    // with what runs and for how long, so a long operation is not taken for a dead worker
    Heartbeats.Periodic beat = Heartbeats.periodically("heartbeat " + operation + " " + table, HEARTBEAT_EVERY,
        () -> operation + " " + table + ": " + step.get() + " (" + (System.nanoTime() - started) / 1_000_000_000L
            + " s)",
        cancelled -> TrinoConnections.cancelQuietly(running.get()));
    try (Connection c = connections.open(); Statement st = c.createStatement()) {
      running.set(st);
      step.set("checking the table exists");
      try (ResultSet rs = st.executeQuery(exists)) {
        rs.next();
        if (rs.getLong(1) == 0) {
          log.info("{} {}: skipped, the table does not exist yet", operation, table);
          return new MaintenanceResult(table, operation, "skipped: table does not exist yet");
        }
      }
      step.set("reading");
      sql = reading.sql(st);
      step.set("running");
      st.execute(sql);
      log.info("{} {}: done in {} ms ({})", operation, table, (System.nanoTime() - started) / 1_000_000, sql);
      return new MaintenanceResult(table, operation, "done");
    } catch (SQLException e) {
      throw TrinoErrors.of(table, operation, e);
    } finally {
      beat.close();
    }
  }
}
