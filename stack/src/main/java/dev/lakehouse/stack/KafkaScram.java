package dev.lakehouse.stack;

import dev.lakehouse.spec.KafkaAuth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The spec's user as a SCRAM credential of the local KRaft Kafka, made when its log dir is formatted
 * ({@code kafka-storage format --add-scram}), so it exists before the broker takes its first client.
 *
 * <p>The storage tool takes the credential on its command line, and {@code /proc/<pid>/cmdline} is world-readable.
 * So the tool gets neither the password nor its SCRAM form in argv: the java launcher reads its main class and
 * arguments from an argument file ({@code java @file}, mode 0600, deleted once the tool exits), and that file holds
 * the salted password ({@code iterations}, {@code salt}, {@code saltedpassword}: RFC 5802's {@code Hi}, which is
 * PBKDF2 with the mechanism's HMAC, computed here), not the password itself.
 */
final class KafkaScram {
  static final int ITERATIONS = 8192;
  private static final SecureRandom RANDOM = new SecureRandom();

  private KafkaScram() {}

  /** Whether the spec's Kafka login is a SCRAM one (the storage format then adds its user). */
  static boolean on(KafkaAuth auth) {
    return auth.protocol().sasl() && auth.mechanism().startsWith("SCRAM-");
  }

  /**
   * The value of {@code --add-scram} for the spec's user: {@code SCRAM-SHA-512=[name=u,iterations=8192,
   * salt="...",saltedpassword="..."]} (Base64).
   */
  static String credential(KafkaAuth auth) {
    byte[] salt = new byte[24];
    RANDOM.nextBytes(salt);
    return credential(auth.mechanism(), auth.username().orElseThrow(), auth.password().orElseThrow(), salt);
  }

  static String credential(String mechanism, String user, String password, byte[] salt) {
    Base64.Encoder b64 = Base64.getEncoder();
    return mechanism + "=[name=" + user + ",iterations=" + ITERATIONS + ",salt=\"" + b64.encodeToString(salt)
        + "\",saltedpassword=\"" + b64.encodeToString(saltedPassword(mechanism, password, salt, ITERATIONS)) + "\"]";
  }

  /** RFC 5802's {@code Hi(password, salt, i)}: PBKDF2 with HMAC-SHA-256 or -512, the hash's length, UTF-8. */
  static byte[] saltedPassword(String mechanism, String password, byte[] salt, int iterations) {
    boolean sha512 = mechanism.equals("SCRAM-SHA-512");
    try {
      return SecretKeyFactory.getInstance(sha512 ? "PBKDF2WithHmacSHA512" : "PBKDF2WithHmacSHA256")
          .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, sha512 ? 512 : 256)).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2 with HMAC-SHA-256/512 is missing from this JDK", e);
    }
  }

  /**
   * Writes {@code tokens} (a main class and its arguments) as a java launcher argument file, mode 0600: each
   * token in double quotes, backslash and quote escaped.
   */
  static Path argFile(Path file, List<String> tokens) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, tokens.stream().map(KafkaScram::quoted).collect(Collectors.joining("\n", "", "\n")),
        StandardCharsets.UTF_8);
    return file;
  }

  static String quoted(String token) {
    return "\"" + token.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
