package dev.lakehouse.stack;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.TrinoClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** `./lakehouse demo`, and the command lines behind `./lakehouse trino` and `./lakehouse psql`. */
public final class Clients {
  private Clients() {}

  @Command(name = "demo", mixinStandardHelpOptions = true,
      description = "Apply the seed scenario (users Bruce, Clark, test; two accounts; an update, a rename, a delete) "
          + "to the source database, once Debezium streams.")
  static final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    StackMain main;

    @Option(names = "--again", description = "Apply it even if it ran before (adds two more accounts).")
    boolean again;

    @Option(names = "--timeout", defaultValue = "300",
        description = "Seconds to wait for the replication slot to be active (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
      StackContext ctx = main.stack().context();
      Endpoints e = ctx.endpoints();
      if (!again && Demo.alreadyApplied(e) > 0) {
        System.out.println("the scenario already ran (bruce@wayne.com exists); --again applies it once more");
        return 0;
      }
      Demo.apply(e, ctx.spec().source().slot(), timeoutSeconds, System.out::println);
      System.out.println("applied the seed scenario to " + e.postgres().jdbcUrl() + "; within ~"
          + "a checkpoint plus a sensor interval the vault has it: ./lakehouse trino, then\n"
          + "  SELECT email, name, is_deleted, effective_from FROM data_vault.s_users ORDER BY source_lsn;");
      return 0;
    }
  }

  /**
   * Prints the command line (one argument per line) that the launcher script execs, so the client owns the tty;
   * leading lines {@code env:NAME=value} are exported to the client's environment instead.
   */
  @Command(name = "client-command", hidden = true,
      description = "Print the argv of a client on the stack: trino (Trino CLI, catalog iceberg) or psql (the source).")
  public static final class ClientCommand implements Callable<Integer> {
    public static final String ENV_PREFIX = "env:";

    @ParentCommand
    StackMain main;

    @Parameters(index = "0", description = "trino or psql")
    String client;

    @Override
    public Integer call() {
      Stack stack = main.stack();
      Endpoints e = stack.context().endpoints();
      List<String> argv = new ArrayList<>();
      switch (client) {
        case "trino" -> {
          Path jar = stack.context().service("trino-cli").resolve("trino-cli.jar");
          if (!Files.isRegularFile(jar)) {
            System.err.println("no Trino CLI at " + jar + ": build the stack module (./mvnw -B -pl stack package"
                + " -DskipTests)");
            return 1;
          }
          try {
            argv.addAll(trinoCli(stack, jar));
          } catch (java.io.UncheckedIOException ex) { // the token file: one line that names the key
            System.err.println("lakehouse trino: " + ex.getMessage());
            return 2;
          }
        }
        case "psql" -> {
          Path psql = onPath("psql");
          if (psql == null) {
            System.err.println("psql is not on PATH (Debian: apt-get install postgresql-client). Connect any SQL "
                + "client to " + e.postgres().jdbcUrl() + " as " + e.postgres().user()
                + " (password: lakehouse.endpoints.postgres.password)");
            return 1;
          }
          // the password goes to psql's environment (the launcher exports env: lines), never into an argv that
          // every user of the machine can read in /proc/<pid>/cmdline
          argv.add(ENV_PREFIX + "PGPASSWORD=" + e.postgres().password());
          argv.add(psql.toString());
          argv.add("postgresql://" + e.postgres().user() + "@" + e.host() + ":" + e.postgres().port() + "/"
              + e.postgres().database());
        }
        default -> {
          System.err.println("unknown client " + client + ": trino or psql");
          return 2;
        }
      }
      argv.forEach(System.out::println);
      return 0;
    }

    /**
     * The Trino CLI's argv on the stack's Trino, with the spec's HTTPS and password or token: like psql's, the
     * password goes to the CLI's environment (a leading {@code env:TRINO_PASSWORD=} line, read by
     * {@code --password}); a token goes to a config file ({@link #tokenConfig}), never to the argv.
     */
    public static List<String> trinoCli(Stack stack, Path jar) {
      TrinoClient trino = stack.context().spec().trino();
      List<String> argv = new ArrayList<>();
      trino.auth().password().ifPresent(p -> argv.add(ENV_PREFIX + "TRINO_PASSWORD=" + p));
      argv.add(cliJava(stack).toString());
      argv.addAll(List.of("-jar", jar.toString(), "--server", trino.url(), "--catalog", "iceberg",
          "--user", trino.user()));
      trino.auth().truststorePath().ifPresent(t -> argv.addAll(List.of("--truststore-path", t)));
      if (trino.auth().password().isPresent()) {
        argv.add("--password");
      }
      trino.auth().accessTokenPath().ifPresent(path -> argv.add(0, ENV_PREFIX + "TRINO_CONFIG="
          + tokenConfig(stack, path)));
      return argv;
    }

    /**
     * The Trino CLI takes a bearer token in its argv ({@code --access-token}) or from its config file: the token of
     * {@code access-token-path} as it is now, in a {@code 0600} config file the CLI reads through
     * {@code TRINO_CONFIG}, rewritten at each start (so a rotated token needs a new {@code ./lakehouse trino}).
     */
    private static Path tokenConfig(Stack stack, String tokenPath) {
      Path config = stack.context().conf("trino-cli").resolve("config.properties");
      try {
        Services.write(config, "access-token=" + TrinoClient.accessToken(tokenPath) + "\n");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot write " + config + ": " + e.getMessage(), e);
      }
      return config;
    }

    /** The Trino CLI is Java 11 bytecode: the JVM running this (17+) does, without JDK 24+'s native-access warnings. */
    private static Path cliJava(Stack stack) {
      return stack.context().java();
    }

    private static Path onPath(String name) {
      String path = System.getenv("PATH");
      if (path == null) {
        return null;
      }
      for (String dir : path.split(":")) {
        Path p = Paths.get(dir.isEmpty() ? "." : dir, name);
        if (Files.isExecutable(p)) {
          return p;
        }
      }
      return null;
    }
  }
}
