package dev.lakehouse.stack;

import static dev.lakehouse.stack.Services.write;

import dev.lakehouse.spec.SecuritySpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The local Trino with HTTPS and a password or JWT, when the spec sets {@code lakehouse.security.trino.password} or
 * {@code access-token-path}: a self-signed key pair made by the JDK's {@code keytool} (its certificate written to
 * {@code lakehouse.security.trino.truststore-path}, where the lakehouse's clients read it, unless that file holds
 * something else than the stack's previous certificate); a password file with the one user of
 * {@code lakehouse.endpoints.trino.user} (a PBKDF2 hash, Trino's file authenticator), or Trino's JWT authenticator
 * with the key of {@code lakehouse.security.trino.jwt-key-path} (the tokens are signed elsewhere: the stack never
 * reads one); and an internal-communication secret. The HTTPS listener takes the spec's Trino port; plain HTTP
 * moves to a port of its own on the same host, for the node's discovery and the stack's health check, and refuses
 * authenticated requests ({@code allow-insecure-over-http=false}), so queries need the password or a token.
 */
final class TrinoHttps {
  /** Trino's file authenticator takes PBKDF2 with HMAC-SHA1 and at least 1000 iterations. */
  private static final int PBKDF2_ITERATIONS = 10_000;
  private static final String KEYSTORE_PASSWORD_ENV = "LAKEHOUSE_TRINO_KEYSTORE_PASSWORD";
  private static final SecureRandom RANDOM = new SecureRandom();

  private TrinoHttps() {}

  /** Whether the spec asks for HTTPS ({@code lakehouse.security.trino.ssl}, on with a password); else plain HTTP. */
  static boolean on(StackContext ctx) {
    return ctx.spec().security().trino().ssl();
  }

  /**
   * Writes the key store, the certificate for the clients and the password file under {@code etc}; returns the
   * lines for config.properties. {@code httpPort} is the plain listener's (internal) port.
   */
  static List<String> configure(StackContext ctx, Path etc, int httpPort) throws IOException, InterruptedException {
    SecuritySpec.TrinoAuth auth = ctx.spec().security().trino();
    Path certificate = Paths.get(auth.truststorePath().orElseThrow(() -> new StackUsageException("the local stack"
        + " serves Trino over HTTPS with a self-signed certificate when lakehouse.security.trino.password or"
        + " access-token-path is set: set lakehouse.security.trino.truststore-path (LAKEHOUSE_TRINO_TRUSTSTORE) to"
        + " the file it should write the certificate to"))).toAbsolutePath();
    boolean jwt = auth.accessTokenPath().isPresent();
    if (auth.password().isEmpty() && !jwt) {
      throw new StackUsageException("the local stack serves Trino over HTTPS together with a password or a bearer"
          + " token only: set lakehouse.security.trino.password (LAKEHOUSE_TRINO_PASSWORD) or access-token-path ("
          + SecuritySpec.ACCESS_TOKEN_ENV + "), or turn ssl off");
    }
    Path jwtKey = null;
    if (jwt) {
      jwtKey = Paths.get(auth.jwtKeyPath().orElseThrow(() -> new StackUsageException("the local stack serves Trino"
          + " with JWT authentication when lakehouse.security.trino.access-token-path is set: set"
          + " lakehouse.security.trino.jwt-key-path (LAKEHOUSE_TRINO_JWT_KEY) to the key its Trino verifies the"
          + " tokens with (a PEM public key, or a file with a base64 HMAC secret)"))).toAbsolutePath();
      if (!Files.isReadable(jwtKey)) {
        throw new StackUsageException("lakehouse.security.trino.jwt-key-path " + jwtKey + " (LAKEHOUSE_TRINO_JWT_KEY)"
            + " is not a readable file: point it at the key Trino should verify the bearer tokens with");
      }
    }
    if (auth.truststorePassword().isPresent()) {
      throw new StackUsageException("the local stack writes its Trino certificate as PEM, which has no password:"
          + " unset lakehouse.security.trino.truststore-password (LAKEHOUSE_TRINO_TRUSTSTORE_PASSWORD)");
    }
    String host = ctx.endpoints().host();
    String storePassword = secret();
    Path keystore = etc.resolve("https.p12");
    Files.deleteIfExists(keystore); // a new key pair at each start, like every generated config
    keytool(ctx, storePassword, "-genkeypair", "-alias", "trino", "-keyalg", "RSA", "-keysize", "2048",
        "-validity", "3650", "-dname", "CN=" + host, "-ext", "SAN=" + subjectAlternativeNames(host),
        "-storetype", "PKCS12", "-keystore", keystore.toString());
    // the stack's last certificate: truststore-path is overwritten only when it holds that one (or nothing)
    Path last = etc.resolve("https-cert.pem");
    if (Files.exists(certificate) && !(Files.exists(last) && Files.mismatch(certificate, last) == -1)) {
      throw new StackUsageException("lakehouse.security.trino.truststore-path " + certificate + " holds a file the"
          + " local stack did not write; it writes its Trino certificate there at each start: point the key at a"
          + " new file, or delete this one");
    }
    Files.deleteIfExists(last);
    keytool(ctx, storePassword, "-exportcert", "-rfc", "-alias", "trino", "-keystore", keystore.toString(),
        "-file", last.toString());
    Files.createDirectories(certificate.getParent());
    Files.copy(last, certificate, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    List<String> lines = new ArrayList<>(List.of(
        "http-server.http.port=" + httpPort,
        "http-server.https.enabled=true",
        "http-server.https.port=" + ctx.endpoints().trino().port(),
        "http-server.https.keystore.path=" + keystore,
        "http-server.https.keystore.key=" + storePassword));
    if (jwt) {
      // Trino's own JWT authenticator: the token's subject (sub) is the user; no plugin needed
      lines.addAll(List.of("http-server.authentication.type=JWT",
          "http-server.authentication.jwt.key-file=" + jwtKey));
    } else {
      Path passwords = etc.resolve("password.db");
      write(passwords, ctx.endpoints().trino().user() + ":" + pbkdf2(auth.password().orElseThrow()) + "\n");
      Path authenticator = etc.resolve("password-authenticator.properties");
      write(authenticator, String.join("\n", "password-authenticator.name=file",
          "file.password-file=" + passwords, ""));
      lines.addAll(List.of("http-server.authentication.type=PASSWORD",
          "password-authenticator.config-files=" + authenticator));
    }
    lines.addAll(List.of("http-server.authentication.allow-insecure-over-http=false",
        "internal-communication.shared-secret=" + secret()));
    return lines;
  }

  /**
   * The server's file password authenticator plugin, checked: the server archive holds its jars as hard links,
   * which the build's resolve-services.groovy fills in; a services dir built before that has them empty.
   */
  static Path passwordPlugin(Path server) throws IOException {
    Path plugin = server.resolve("plugin/password-authenticators");
    try (java.util.stream.Stream<Path> jars = Files.list(plugin)) {
      if (jars.anyMatch(j -> j.toString().endsWith(".jar") && j.toFile().length() == 0)) {
        throw new StackUsageException("Trino's password plugin in " + plugin + " has empty jars (a services dir"
            + " resolved by an older build): rebuild it with ./mvnw -B -pl stack package -DskipTests");
      }
    }
    return plugin;
  }

  /** The plain HTTP port a previous {@link #configure} wrote, for the health check (any process, e.g. status). */
  static int httpPort(Path etc) throws IOException {
    for (String line : Files.readAllLines(etc.resolve("config.properties"))) {
      if (line.startsWith("http-server.http.port=")) {
        return Integer.parseInt(line.substring(line.indexOf('=') + 1).trim());
      }
    }
    throw new IOException("no http-server.http.port in " + etc.resolve("config.properties"));
  }

  /** The stack's host, plus loopback by address and by name, so a client may use either. */
  static String subjectAlternativeNames(String host) {
    List<String> names = new ArrayList<>(List.of("ip:127.0.0.1", "dns:localhost"));
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    String entry = (h.matches("[0-9.]+") || h.contains(":") ? "ip:" : "dns:") + h;
    if (!names.contains(entry)) {
      names.add(entry);
    }
    return String.join(",", names);
  }

  /**
   * A line of Trino's password file after the user: {@code iterations:salt:hash}, hex, PBKDF2WithHmacSHA1 (what
   * Trino's file authenticator checks, with the hash's length as the key length).
   */
  static String pbkdf2(String password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    try {
      byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1")
          .generateSecret(new PBEKeySpec(password.toCharArray(), salt, PBKDF2_ITERATIONS, 256)).getEncoded();
      return PBKDF2_ITERATIONS + ":" + HexFormat.of().formatHex(salt) + ":" + HexFormat.of().formatHex(hash);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA1 is missing from this JDK", e);
    }
  }

  private static String secret() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** Runs the JDK's keytool; the store password goes through its environment ({@code -storepass:env}), not argv. */
  static void keytool(StackContext ctx, String storePassword, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(ctx.java().resolveSibling("keytool").toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("-storepass:env", KEYSTORE_PASSWORD_ENV, "-noprompt"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(Map.of(KEYSTORE_PASSWORD_ENV, storePassword));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("keytool " + args[0] + " failed: " + out.strip());
    }
  }
}
