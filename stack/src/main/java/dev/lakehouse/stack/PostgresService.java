package dev.lakehouse.stack;

import static dev.lakehouse.stack.Services.exec;
import static dev.lakehouse.stack.Services.write;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.PublicationSql;
import dev.lakehouse.spec.ReplicationRoleSql;
import dev.lakehouse.spec.SecuritySpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import org.postgresql.PGConnection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** PostgreSQL (zonky binaries). */
final class PostgresService extends Service {
  private static final String LOCK_NOT_AVAILABLE = "55P03";
  private static final int LOCK_TIMEOUT_SECONDS = 5;
  private static final int LOCK_ATTEMPTS = 12;

  PostgresService() {
    super("postgres", List.of());
  }

  @Override public int port(Endpoints e) {
    return e.postgres().port();
  }

  @Override public List<String> processNames() {
    return List.of("postgres");
  }

  @Override public String stopSignal() {
    return "INT"; // fast shutdown (TERM would wait for clients to disconnect)
  }

  private static Path bin(StackContext ctx, String tool) {
    return ctx.service("postgres/pgsql/bin").resolve(tool);
  }

  /** PostgreSQL refuses to run as root: as root, run it as nobody (setpriv) and give it its data dir. */
  static List<String> asPgUser(StackContext ctx, List<String> cmd) throws Exception {
    if (!runningAsRoot()) {
      return cmd;
    }
    Path data = ctx.data("postgres");
    exec(ctx.logFile("postgres"), List.of("chown", "-R", "65534:65534", data.toString()), Map.of(), 60);
    List<String> c = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"));
    c.addAll(cmd);
    return c;
  }

  static boolean runningAsRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.substring(4).trim().split("\\s+")[1].equals("0");
        }
      }
    } catch (IOException e) {
      // not Linux?
    }
    return false;
  }

  @Override public void cleanup(StackContext ctx) throws Exception {
    Path pgdata = ctx.data("postgres").resolve("pgdata");
    Path pidFile = pgdata.resolve("postmaster.pid");
    if (Files.isRegularFile(pidFile)) {
      List<String> lines = Files.readAllLines(pidFile);
      long pid = lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
      if (pid > 0 && Procs.alive(pid) && Procs.cmdline(pid).contains(pgdata.toString())) {
        ctx.out().accept("postgres: stopping an orphaned postgres (pid " + pid + ") with pg_ctl stop");
        exec(ctx.logFile("postgres"), asPgUser(ctx, List.of(bin(ctx, "pg_ctl").toString(), "stop", "-D",
            pgdata.toString(), "-m", "fast", "-w", "-t", "30")), Map.of(), 40);
        if (!Procs.awaitDeath(pid, 5000)) {
          Procs.signal(pid, "KILL");
        }
      }
    }
  }

  @Override public List<ProcSpec> prepare(StackContext ctx) throws Exception {
    Endpoints e = ctx.endpoints();
    Path data = ctx.data("postgres");
    Path pgdata = data.resolve("pgdata");
    if (!Files.isRegularFile(pgdata.resolve("PG_VERSION"))) {
      Path pw = data.resolve(".pwfile");
      write(pw, e.postgres().password() + "\n");
      try {
        int rc = exec(ctx.logFile("postgres"), asPgUser(ctx, List.of(bin(ctx, "initdb").toString(), "-D",
            pgdata.toString(), "-U", e.postgres().user(), "--pwfile=" + pw, "-A", "scram-sha-256", "-E", "UTF8",
            "--locale=C")), Map.of(), 120);
        if (rc != 0) {
          throw new IllegalStateException("initdb failed (exit " + rc + ")");
        }
      } finally {
        Files.deleteIfExists(pw);
      }
    }
    List<String> cmd = List.of(bin(ctx, "postgres").toString(), "-D", pgdata.toString(),
        "-p", String.valueOf(e.postgres().port()),
        "-c", "listen_addresses=" + e.host(),
        "-c", "unix_socket_directories=",
        "-c", "wal_level=logical",
        "-c", "max_wal_senders=10",
        "-c", "max_replication_slots=10",
        "-c", "synchronous_commit=on",
        "-c", "fsync=on",
        "-c", "shared_buffers=128MB",
        "-c", "max_connections=100");
    return List.of(new ProcSpec("postgres", asPgUser(ctx, cmd), Map.of("LC_ALL", "C"), data));
  }

  @Override public String unhealthyReason(StackContext ctx) {
    Endpoints e = ctx.endpoints();
    try (Connection c = DriverManager.getConnection(
        "jdbc:postgresql://" + e.host() + ":" + e.postgres().port()
            + "/postgres?connectTimeout=2&loginTimeout=5&socketTimeout=5",
        e.postgres().user(), e.postgres().password());
        Statement s = c.createStatement()) {
      s.execute("SELECT 1");
      return null;
    } catch (Exception ex) {
      return "jdbc: " + ex.getMessage();
    }
  }

  /**
   * The source database, the demo schema (sql/bank-schema.sql: tables only), the publication over the spec's
   * tables that exist (the ingestion setup adds the others once they do) and Debezium's replication role.
   */
  @Override public void afterHealthy(StackContext ctx) throws Exception {
    Endpoints e = ctx.endpoints();
    try (Connection c = DriverManager.getConnection(
        "jdbc:postgresql://" + e.host() + ":" + e.postgres().port() + "/postgres", e.postgres().user(),
        e.postgres().password());
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + e.postgres().database()
          + "'")) {
        if (!rs.next()) {
          s.execute("CREATE DATABASE \"" + e.postgres().database() + "\"");
        }
      }
    }
    String sql;
    try (InputStream in = Services.class.getResourceAsStream("/sql/bank-schema.sql")) {
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (int attempt = 1; ; attempt++) {
      try (Connection c = StackEndpoints.openPostgres(e); Statement s = c.createStatement()) {
        // a restart under writes: never queue for a table lock behind the clients' open transactions for long
        // (the queued lock would block their next writes), give way and try again instead
        s.execute("SET lock_timeout = '" + LOCK_TIMEOUT_SECONDS + "s'");
        s.execute(sql);
        s.execute(PublicationSql.ensure(ctx.spec(), PublicationSql.MissingTable.SKIP));
        // Debezium's own role (docs/security.md): its password as a SCRAM verifier computed here, never in clear
        s.execute(ReplicationRoleSql.ensure(ctx.spec(), PublicationSql.MissingTable.SKIP));
        SecuritySpec.Credentials replication = ctx.spec().security().replication();
        c.unwrap(PGConnection.class).alterUserPassword(replication.user(), replication.password().toCharArray(),
            "scram-sha-256");
        return;
      } catch (SQLException ex) {
        if (!LOCK_NOT_AVAILABLE.equals(ex.getSQLState()) || attempt == LOCK_ATTEMPTS) {
          throw ex;
        }
        ctx.out().accept("postgres: the schema setup waited " + LOCK_TIMEOUT_SECONDS
            + " s for a table lock held by a client; trying again (" + attempt + "/" + LOCK_ATTEMPTS + ")");
      }
    }
  }
}
