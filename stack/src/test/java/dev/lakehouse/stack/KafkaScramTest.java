package dev.lakehouse.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SCRAM credential the storage format adds, and the argument file that keeps it out of argv (KafkaSaslTlsIT). */
class KafkaScramTest {
  @TempDir
  Path dir;

  @Test
  void theSaltedPasswordIsKafkasOwnForBothMechanisms() throws Exception {
    byte[] salt = "a-salt-of-24-bytes-long!".getBytes(StandardCharsets.UTF_8);
    for (ScramMechanism m : List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)) {
      byte[] kafka = new ScramFormatter(m).saltedPassword("pä\"ss word", salt, KafkaScram.ITERATIONS);
      assertThat(KafkaScram.saltedPassword(m.mechanismName(), "pä\"ss word", salt, KafkaScram.ITERATIONS))
          .as(m.mechanismName()).isEqualTo(kafka);
    }
  }

  @Test
  void theCredentialHoldsTheSaltedFormNotThePassword() {
    byte[] salt = new byte[] {1, 2, 3};
    String c = KafkaScram.credential("SCRAM-SHA-512", "worker", "secret-pw-1", salt);
    assertThat(c).startsWith("SCRAM-SHA-512=[name=worker,iterations=8192,salt=\"AQID\",saltedpassword=\"")
        .endsWith("\"]").doesNotContain("secret-pw-1");
  }

  @Test
  void theArgumentFileIsTheOwnersOnlyWithEachTokenQuoted() throws Exception {
    Path f = KafkaScram.argFile(dir.resolve("a.args"), List.of("kafka.tools.StorageTool", "--x=[a=\"b\"]", "c\\d"));
    assertThat(Files.readString(f)).isEqualTo("\"kafka.tools.StorageTool\"\n\"--x=[a=\\\"b\\\"]\"\n\"c\\\\d\"\n");
    assertThat(Files.getPosixFilePermissions(f)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }
}
