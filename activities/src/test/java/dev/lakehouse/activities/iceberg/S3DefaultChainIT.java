package dev.lakehouse.activities.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.activities.trino.TrinoConnections;
import dev.lakehouse.models.IcebergCatalogConfig;
import dev.lakehouse.models.IngestSql;
import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.stack.junit.OwnStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code lakehouse.endpoints.s3.credentials = default-chain} on a stack of its own (s3, iceberg-rest, trino): no
 * client config holds the S3 keys; Trino and the Iceberg REST catalog find them in their environment (where the
 * local stack puts S3Proxy's one identity), the worker's S3FileIO through the AWS SDK's default chain (here its
 * system properties, the first link of the chain).
 */
class S3DefaultChainIT {
  private static final String ACCESS_KEY = "chain-key-5c0e";
  private static final String SECRET_KEY = "chain-secret-91e7";
  private static OwnStack own;
  private static PipelineSpec spec;

  @BeforeAll
  static void start() throws Exception {
    own = OwnStack.start("s3-chain", List.of("trino"), Map.of("LAKEHOUSE_S3_CREDENTIALS", "default-chain",
        "LAKEHOUSE_S3_ACCESS_KEY", ACCESS_KEY, "LAKEHOUSE_S3_SECRET_KEY", SECRET_KEY));
    spec = own.spec();
    TrinoConnections trino = new TrinoConnections(spec.trino());
    try (Connection c = trino.open(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS iceberg.chain_it");
      s.execute("CREATE TABLE iceberg.chain_it.accounts AS SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(id, name)");
      s.execute("INSERT INTO iceberg.chain_it.accounts VALUES (3, 'c')");
    }
  }

  @AfterAll
  static void stop() {
    if (own != null) {
      own.close();
    }
  }

  @Test
  void trinoWritesAndReadsATableWithTheKeysOfItsEnvironment() throws Exception {
    assertThat(spec.endpoints().s3().credentials()).isEqualTo(Endpoints.S3Credentials.DEFAULT_CHAIN);
    assertThat(new TrinoConnections(spec.trino()).query("SELECT count(*), max(name) FROM iceberg.chain_it.accounts"))
        .containsExactly(List.of("3", "c"));
    assertThat(Files.readString(Path.of("/proc/" + own.stack().pid("trino") + "/environ")))
        .contains("AWS_SECRET_ACCESS_KEY=" + SECRET_KEY);
  }

  @Test
  void theWorkersIcebergClientReadsTheFilesWithKeysFromTheDefaultChainOnly() throws Exception {
    String[] properties = {"aws.accessKeyId", "aws.secretAccessKey", "aws.disableEc2Metadata"};
    try {
      System.setProperty("aws.disableEc2Metadata", "true"); // no instance role here: fail at once
      assertThatThrownBy(() -> manifestListLength()).satisfies(e ->
          System.out.println("no keys anywhere -> " + e));
      System.setProperty("aws.accessKeyId", ACCESS_KEY);
      System.setProperty("aws.secretAccessKey", SECRET_KEY);
      assertThat(manifestListLength()).isPositive();
    } finally {
      for (String p : properties) {
        System.clearProperty(p);
      }
    }
  }

  @Test
  void theKeysAreInNoClientConfigNoStatementAndNoArgv() throws Exception {
    assertThat(IcebergCatalogConfig.properties(spec.endpoints()).toString()).doesNotContain(ACCESS_KEY, SECRET_KEY);
    assertThat(String.join("\n", IngestSql.statements(spec, Optional.empty()))).doesNotContain(ACCESS_KEY, SECRET_KEY)
        .contains("'s3.endpoint'");
    Path conf = own.stack().context().home().resolve("conf");
    List<Path> holders;
    try (Stream<Path> files = Files.walk(conf)) {
      holders = files.filter(Files::isRegularFile).filter(f -> read(f).contains(SECRET_KEY)
          || read(f).contains(ACCESS_KEY)).map(conf::relativize).toList();
    }
    // S3Proxy's own identity only: no client's file
    assertThat(holders).containsExactly(Path.of("s3/s3proxy.properties"));
    assertThat(Files.readString(conf.resolve("trino/catalog/iceberg.properties"))).doesNotContain("s3.aws-");
    assertThat(own.argvAndLogs("trino") + own.argvAndLogs("iceberg-rest")).doesNotContain(SECRET_KEY);
  }

  private static long manifestListLength() throws Exception {
    try (RESTCatalog catalog = IcebergCatalogs.open(spec.endpoints())) {
      Table table = catalog.loadTable(TableIdentifier.of("chain_it", "accounts"));
      return table.io().newInputFile(table.currentSnapshot().manifestListLocation()).getLength();
    }
  }

  private static String read(Path f) {
    try {
      return new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
