package dev.lakehouse.temporal;

import dev.lakehouse.spec.SecuritySpec;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.temporal.serviceclient.ServiceStubsOptions;
import java.io.File;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * How a process of the lakehouse authenticates to Temporal ({@code lakehouse.security.temporal},
 * docs/security.md): TLS with the CA that signed the server's certificate (else the JVM's trust store), a client
 * certificate and key for mutual TLS, the server name to verify, and an API key sent as a bearer token. Nothing set:
 * plain text, as the local dev server speaks. The worker, the {@code lakehouse} CLI and the console all build their
 * service stubs (workflow and operator) through it.
 */
public final class TemporalTls {
  private TemporalTls() {}

  /** {@code builder} with the TLS and API key of {@code auth} applied; unchanged when none is set. */
  public static <B extends ServiceStubsOptions.Builder<B>> B apply(B builder, SecuritySpec.TemporalAuth auth) {
    if (!auth.tls()) {
      return builder;
    }
    builder.setSslContext(sslContext(auth));
    auth.serverName().ifPresent(name -> builder.setChannelInitializer(channel -> channel.overrideAuthority(name)));
    auth.apiKey().ifPresent(key -> builder.addApiKey(() -> key));
    return builder;
  }

  /**
   * The client's TLS context; an unreadable or invalid file is an IllegalArgumentException naming the spec key
   * (the worker's start and the CLI turn it into one line and exit code 2).
   */
  public static SslContext sslContext(SecuritySpec.TemporalAuth auth) {
    SslContextBuilder ssl = GrpcSslContexts.forClient();
    Optional<String> ca = auth.caCert();
    try {
      if (ca.isPresent()) {
        ssl.trustManager(file("ca-cert", ca.get()));
      }
      if (auth.clientCert().isPresent() && auth.clientKey().isPresent()) {
        ssl.keyManager(file("client-cert", auth.clientCert().get()), file("client-key", auth.clientKey().get()));
      }
      return ssl.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("lakehouse.security.temporal: cannot set up TLS to Temporal from "
          + auth + ": " + e.getMessage() + " (PEM files: a certificate chain, a PKCS#8 key)", e);
    }
  }

  private static File file(String key, String path) {
    File f = new File(path);
    if (!f.isFile() || !f.canRead()) {
      throw new IllegalArgumentException("lakehouse.security.temporal." + key + " names no readable file: " + path);
    }
    return f;
  }
}
