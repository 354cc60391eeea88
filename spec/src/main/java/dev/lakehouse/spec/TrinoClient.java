package dev.lakehouse.spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * How the lakehouse's own clients (the worker's activities, the CLI, the console, the stack's and the tests'
 * helpers) reach Trino: where ({@code lakehouse.endpoints.trino}) and how they authenticate
 * ({@code lakehouse.security.trino}). The one place trino-jdbc's URL and connection properties are built, so no
 * client forgets the password, the token or the trust store. {@link #toString()} never prints the password.
 */
public record TrinoClient(Endpoints.Trino endpoint, SecuritySpec.TrinoAuth auth) {

  /** A client of a Trino without TLS or password (a stack of one's own, built from endpoints alone). */
  public static TrinoClient plain(Endpoints.Trino endpoint) {
    return new TrinoClient(endpoint, SecuritySpec.TrinoAuth.NONE);
  }

  /** {@code jdbc:trino://host:port/iceberg}; HTTPS is a property ({@code SSL}), not a part of the URL. */
  public String jdbcUrl() {
    return endpoint.jdbcUrl();
  }

  /** {@code http://host:port}, or {@code https://} when {@code ssl} is on: for the REST API and the Trino CLI. */
  public String url() {
    return (auth.ssl() ? "https" : "http") + "://" + endpoint.host() + ":" + endpoint.port();
  }

  public String user() {
    return endpoint.user();
  }

  /**
   * trino-jdbc's connection properties: the user, and with {@code lakehouse.security.trino} the password or the
   * bearer token ({@code accessToken}, read from {@code access-token-path} now, so each new connection takes a
   * rotated token), SSL and the trust store. Passed to {@code DriverManager.getConnection(url, properties)}, never
   * in the URL, so no URL an error message or a log line may print holds a secret.
   *
   * @throws java.io.UncheckedIOException one line naming the key, when the token file cannot be read or is empty
   */
  public Properties jdbcProperties() {
    Properties p = new Properties();
    p.setProperty("user", endpoint.user());
    if (auth.ssl()) {
      p.setProperty("SSL", "true");
      auth.truststorePath().ifPresent(v -> p.setProperty("SSLTrustStorePath", v));
      auth.truststorePassword().ifPresent(v -> p.setProperty("SSLTrustStorePassword", v));
    }
    auth.password().ifPresent(v -> p.setProperty("password", v));
    auth.accessTokenPath().ifPresent(path -> p.setProperty("accessToken", accessToken(path)));
    return p;
  }

  /** The token in {@code path}, without surrounding white space (a file written by {@code echo} ends in a newline). */
  public static String accessToken(String path) {
    String token;
    try {
      token = Files.readString(Path.of(path)).strip();
    } catch (IOException | RuntimeException e) {
      throw tokenUnreadable(path, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
    if (token.isEmpty() || token.lines().count() > 1) {
      throw tokenUnreadable(path, token.isEmpty() ? "the file is empty" : "the file holds more than one line", null);
    }
    return token;
  }

  private static UncheckedIOException tokenUnreadable(String path, String why, Exception cause) {
    String m = TOKEN_UNREADABLE + path + " (" + SecuritySpec.ACCESS_TOKEN_ENV + "): " + why
        + "; point it at a file that holds Trino's bearer token alone";
    return new UncheckedIOException(m, cause instanceof IOException io ? io : new IOException(m, cause));
  }

  private static final String TOKEN_UNREADABLE = "cannot read Trino's bearer token from"
      + " lakehouse.security.trino.access-token-path ";

  /**
   * One line that says what to do, when trino-jdbc's error is Trino refusing the credentials, the TLS handshake
   * failing or the token file unreadable; empty for any other error (a query failure, Trino down), which the
   * caller reports as before.
   */
  public Optional<String> authProblem(Throwable error) {
    return authHint(error, auth).map(h -> "Trino at " + url() + " as " + user() + ": " + h);
  }

  /** {@link #authProblem} without the address, for callers that name the asset instead (and know no spec). */
  public static Optional<String> authHint(Throwable error) {
    return authHint(error, SecuritySpec.TrinoAuth.NONE);
  }

  private static Optional<String> authHint(Throwable error, SecuritySpec.TrinoAuth auth) {
    Optional<String> hint = Optional.empty();
    // the innermost match: trino-jdbc's own words, not those of a wrapper that already explained them
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (String.valueOf(t.getMessage()).startsWith(TOKEN_UNREADABLE)) {
        return Optional.of(firstLine(t.getMessage()));
      } else if (m.contains("authentication failed") || m.contains("unauthorized")) {
        hint = Optional.of("Trino refused the credentials (" + firstLine(t.getMessage()) + "): check "
            + auth.credentialsKey() + " and lakehouse.endpoints.trino.user");
      } else if (m.contains("pkix path") || t.getClass().getName().startsWith("javax.net.ssl.")) {
        hint = Optional.of("TLS failed (" + firstLine(t.getMessage()) + "): point"
            + " lakehouse.security.trino.truststore-path (LAKEHOUSE_TRINO_TRUSTSTORE) at the certificate or CA of"
            + " Trino's HTTPS, or turn lakehouse.security.trino.ssl off for a plain HTTP Trino");
      }
    }
    return hint;
  }

  private static String firstLine(String s) {
    return String.valueOf(s).lines().findFirst().orElse("");
  }

  @Override
  public String toString() {
    return "TrinoClient[" + url() + ", user=" + user() + ", " + auth + "]";
  }
}
