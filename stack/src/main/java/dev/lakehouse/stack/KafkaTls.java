package dev.lakehouse.stack;

import dev.lakehouse.spec.KafkaAuth;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The local Kafka's TLS listener (SASL_SSL or SSL in {@code lakehouse.security.kafka}): a throwaway CA and a broker
 * certificate it signs, valid for the stack's host, {@code 127.0.0.1} and {@code localhost}, made by the JDK's
 * {@code keytool} (store passwords through its environment) at the first start, and again when the host changed or a
 * file is missing; kept otherwise, so that Connect and Flink, which load the CA once, still trust a restarted broker.
 * The CA's private key is deleted once the broker's certificate is signed; the broker's key store
 * ({@code conf/kafka/tls/broker.p12}), its password ({@code store-password}), the names it is valid for
 * ({@code names}) and the CA's certificate ({@code ca.pem}) stay, mode 0600, and the CA is copied to
 * {@code lakehouse.security.kafka.truststore-path}, where every client reads it, unless that file holds something else
 * than the stack's CA.
 */
final class KafkaTls {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The broker's key store, its password, and the CA file its own client side (inter-broker) trusts. */
  record BrokerTls(Path keystore, String password, Path ca) {
    @Override
    public String toString() {
      return "BrokerTls[keystore=" + keystore + ", password=***, ca=" + ca + "]";
    }
  }

  private KafkaTls() {}

  /** The directory of the stack's Kafka TLS files. */
  static Path dir(StackContext ctx) {
    return StackContext.ownerOnly(StackContext.mkdirs(ctx.conf("kafka").resolve("tls")));
  }

  /** Makes the CA and the broker's key pair, writes the CA to the spec's trust store path; see the class comment. */
  static BrokerTls generate(StackContext ctx) throws IOException, InterruptedException {
    KafkaAuth auth = ctx.spec().security().kafka();
    Path truststore = Paths.get(auth.truststorePath().orElseThrow(() -> new StackUsageException("the local stack"
        + " serves Kafka over TLS with a CA of its own when lakehouse.security.kafka.protocol is " + auth.protocol()
        + ": set lakehouse.security.kafka.truststore-path (LAKEHOUSE_KAFKA_TRUSTSTORE) to the file it should write"
        + " that CA to (PEM)"))).toAbsolutePath();
    if (auth.truststorePassword().isPresent() || !auth.truststoreType().equals("PEM")) {
      throw new StackUsageException("the local stack writes its Kafka CA as PEM, which has no password: point"
          + " lakehouse.security.kafka.truststore-path at a .pem file and unset truststore-password"
          + " (LAKEHOUSE_KAFKA_TRUSTSTORE_PASSWORD)");
    }
    Path dir = dir(ctx);
    Path ca = dir.resolve("ca.pem");
    if (Files.exists(truststore) && !(Files.exists(ca) && Files.mismatch(truststore, ca) == -1)) {
      throw new StackUsageException("lakehouse.security.kafka.truststore-path " + truststore + " holds a file the"
          + " local stack did not write; it writes its Kafka CA there at each start: point the key at a new file,"
          + " or delete this one");
    }
    String host = ctx.endpoints().host();
    String names = TrinoHttps.subjectAlternativeNames(host);
    Path keystore = dir.resolve("broker.p12");
    Path passwordFile = dir.resolve("store-password");
    Path namesFile = dir.resolve("names");
    boolean keep = Files.isRegularFile(keystore) && Files.isRegularFile(ca) && Files.isRegularFile(passwordFile)
        && Files.isRegularFile(namesFile) && Files.readString(namesFile).equals(names);
    String password = keep ? Files.readString(passwordFile) : make(ctx, dir, host, names);
    Files.createDirectories(truststore.getParent());
    Files.copy(ca, truststore, StandardCopyOption.REPLACE_EXISTING);
    return new BrokerTls(keystore, password, ca);
  }

  /** A new CA and broker key pair in {@code dir}; returns the key store's password. */
  private static String make(StackContext ctx, Path dir, String host, String names)
      throws IOException, InterruptedException {
    String password = HexFormat.of().formatHex(bytes(24));
    Path ca = dir.resolve("ca.pem");
    Path caStore = dir.resolve("ca.p12");
    Path keystore = dir.resolve("broker.p12");
    Path request = dir.resolve("broker.csr");
    Path signed = dir.resolve("broker.pem");
    for (Path f : List.of(caStore, keystore, request, signed, ca)) {
      Files.deleteIfExists(f);
    }
    List<String> ec = List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "3650", "-storetype", "PKCS12");
    keytool(ctx, password, ec, "-genkeypair", "-alias", "ca", "-dname", "CN=lakehouse local Kafka CA",
        "-ext", "bc:c", "-keystore", caStore.toString());
    keytool(ctx, password, ec, "-genkeypair", "-alias", "broker", "-dname", "CN=" + host,
        "-keystore", keystore.toString());
    keytool(ctx, password, List.of(), "-certreq", "-alias", "broker", "-keystore", keystore.toString(),
        "-file", request.toString());
    keytool(ctx, password, List.of(), "-gencert", "-alias", "ca", "-keystore", caStore.toString(), "-rfc",
        "-validity", "3650", "-infile", request.toString(), "-outfile", signed.toString(),
        "-ext", "SAN=" + names, "-ext", "EKU=serverAuth,clientAuth");
    keytool(ctx, password, List.of(), "-exportcert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(),
        "-file", ca.toString());
    keytool(ctx, password, List.of(), "-importcert", "-trustcacerts", "-alias", "ca", "-file", ca.toString(),
        "-keystore", keystore.toString());
    keytool(ctx, password, List.of(), "-importcert", "-alias", "broker", "-file", signed.toString(),
        "-keystore", keystore.toString());
    for (Path f : List.of(caStore, request, signed)) { // the CA signs nothing else
      Files.deleteIfExists(f);
    }
    for (Path f : List.of(keystore, ca)) {
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    }
    Services.write(dir.resolve("store-password"), password);
    Services.write(dir.resolve("names"), names);
    return password;
  }

  /** An SSL context that trusts the stack's CA (the health probe's), or null before the first {@link #generate}. */
  static SSLContext probeContext(StackContext ctx) {
    Path ca = ctx.home().resolve("conf/kafka/tls/ca.pem");
    if (!Files.isRegularFile(ca)) {
      return null;
    }
    try (InputStream in = Files.newInputStream(ca)) {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("ca" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      return ssl;
    } catch (IOException | GeneralSecurityException e) {
      return null;
    }
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static void keytool(StackContext ctx, String password, List<String> options, String command,
      String... args) throws IOException, InterruptedException {
    List<String> all = new java.util.ArrayList<>(List.of(command));
    all.addAll(List.of(args));
    all.addAll(options);
    TrinoHttps.keytool(ctx, password, all.toArray(String[]::new));
  }
}
