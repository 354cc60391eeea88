package dev.lakehouse.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.SecuritySpec;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Secrets on the running stack (docs/security.md): the configured passwords are in no child process's argv
 * ({@code /proc/<pid>/cmdline}, readable by every user) and in no log line; the generated files holding them are
 * mode 0600 under owner-only directories; Debezium's role has exactly the privileges it needs. The module's
 * failsafe config sets distinctive passwords (the defaults, such as "password", would match innocent lines).
 */
@ExtendWith(LakehouseStackExtension.class)
class SecretsIT {
  private static final Set<PosixFilePermission> GROUP_OR_OTHER = Set.of(PosixFilePermission.GROUP_READ,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private static Map<String, String> secrets(Stack stack) {
    Endpoints e = stack.context().endpoints();
    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put("postgres admin password", e.postgres().password());
    secrets.put("replication password", stack.context().spec().security().replication().password());
    secrets.put("S3 secret key", e.s3().secretKey());
    secrets.forEach((what, value) -> assertThat(value).as(what + " (set a distinctive one for this test)")
        .hasSizeGreaterThanOrEqualTo(12).doesNotContain("password"));
    return secrets;
  }

  @Test
  void noPasswordInAnyChildsArgvOrInAnyLog() throws Exception {
    Stack stack = LakehouseStackExtension.stack();
    Map<String, String> secrets = secrets(stack);
    if (stack.services().stream().anyMatch(s -> s.name().equals("connect"))) {
      // Connect and Debezium get the replication password and log their configs: run a connector first
      ConnectIT.captureAnInsert(stack.context().endpoints());
    }
    List<Long> pids = new ArrayList<>();
    for (Stack.ServiceStatus s : stack.status()) {
      for (long pid : s.pids()) {
        if (pid > 0) {
          pids.add(pid);
          ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
        }
      }
    }
    assertThat(pids).as("child processes").hasSizeGreaterThanOrEqualTo(stack.services().size());
    int read = 0;
    for (long pid : pids) {
      byte[] raw;
      try {
        raw = Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline"));
      } catch (IOException gone) {
        continue; // a short-lived child (a health check) ended meanwhile
      }
      read++;
      String cmdline = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
      secrets.forEach((what, value) -> assertThat(cmdline).as("argv of pid %d holds the %s", pid, what)
          .doesNotContain(value));
    }
    assertThat(read).isGreaterThanOrEqualTo(stack.services().size());

    Path logs = stack.context().home().resolve("logs");
    List<Path> logFiles;
    try (Stream<Path> files = Files.list(logs)) {
      logFiles = files.filter(Files::isRegularFile).toList();
    }
    assertThat(logFiles).hasSizeGreaterThanOrEqualTo(stack.services().size());
    for (Path log : logFiles) {
      String text = Files.readString(log, StandardCharsets.ISO_8859_1);
      secrets.forEach((what, value) -> assertThat(text).as("%s holds the %s", log, what).doesNotContain(value));
    }
  }

  @Test
  void filesHoldingSecretsAreTheOwnersOnly() throws IOException {
    Stack stack = LakehouseStackExtension.stack();
    Map<String, String> secrets = secrets(stack);
    Path home = stack.context().home();
    for (String dir : List.of("conf", "logs")) {
      assertThat(Files.getPosixFilePermissions(home.resolve(dir))).as(dir).doesNotContainAnyElementsOf(GROUP_OR_OTHER);
    }
    for (Stack.ServiceStatus s : stack.status()) {
      Path data = home.resolve("data").resolve(s.service());
      if (Files.isDirectory(data)) { // Kafka's holds Connect's connector configs, passwords included
        assertThat(Files.getPosixFilePermissions(data)).as(data.toString())
            .doesNotContainAnyElementsOf(GROUP_OR_OTHER);
      }
    }
    List<Path> withSecrets = new ArrayList<>();
    try (Stream<Path> files = Files.walk(home.resolve("conf"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.getPosixFilePermissions(f)).as("mode of %s", f).doesNotContainAnyElementsOf(GROUP_OR_OTHER);
        String text = Files.readString(f, StandardCharsets.ISO_8859_1);
        if (secrets.values().stream().anyMatch(text::contains)) {
          withSecrets.add(home.relativize(f));
        }
      }
    }
    // the files this test is about exist and were looked at (S3Proxy's config, Trino's catalog)
    List<String> expected = new ArrayList<>();
    if (stack.services().stream().anyMatch(s -> s.name().equals("s3"))) {
      expected.add("conf/s3/s3proxy.properties");
    }
    if (stack.services().stream().anyMatch(s -> s.name().equals("trino"))) {
      expected.add("conf/trino/catalog/iceberg.properties");
    }
    assertThat(withSecrets.stream().map(Path::toString).toList()).containsAll(expected);
  }

  @Test
  void debeziumsRoleMayReplicateAndSelectTheSpecTablesButIsNoSuperuserAndOwnsNothing() throws Exception {
    Its.requires("postgres");
    Stack stack = LakehouseStackExtension.stack();
    SecuritySpec.Credentials role = stack.context().spec().security().replication();
    Endpoints e = stack.context().endpoints();
    try (Connection c = StackEndpoints.openPostgres(e); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT rolcanlogin, rolreplication, rolsuper, rolcreaterole, rolcreatedb"
          + " FROM pg_roles WHERE rolname = '" + role.user() + "'")) {
        assertThat(rs.next()).as("role %s exists", role.user()).isTrue();
        assertThat(List.of(rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3), rs.getBoolean(4), rs.getBoolean(5)))
            .containsExactly(true, true, false, false, false);
      }
      try (ResultSet rs = s.executeQuery("SELECT pg_get_userbyid(pubowner) FROM pg_publication WHERE pubname = '"
          + stack.context().spec().source().publication() + "'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).as("publication owner").isEqualTo(e.postgres().user());
      }
    }
    try (Connection c = java.sql.DriverManager.getConnection(e.postgres().jdbcUrl(), role.user(), role.password());
        Statement s = c.createStatement()) {
      for (var table : stack.context().spec().tables()) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table.name())) {
          assertThat(rs.next()).isTrue();
        }
      }
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> s.execute(
          "INSERT INTO users (email, name) VALUES ('no@write.example', 'no')")))
          .as("the replication role cannot write").hasMessageContaining("permission denied");
    }
  }
}
