package dev.lakehouse.temporal;

import dev.lakehouse.spec.SecuritySpec;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A Temporal server that requires TLS: the SDK's Java test server's services behind a gRPC server on 127.0.0.1
 * that requires a client certificate signed by the test CA (src/test/resources/tls: a throwaway CA, a server
 * certificate for localhost, 127.0.0.1 and temporal.test, a client certificate; no secret), recording the
 * {@code authorization} headers it gets. The dev server the stack runs ({@code temporal server start-dev} v1.5.1)
 * has no TLS flags, so this is the only TLS server the tests have.
 */
public final class TlsTestServer implements AutoCloseable {
  private static final Metadata.Key<String> AUTHORIZATION_KEY = Metadata.Key.of("authorization",
      Metadata.ASCII_STRING_MARSHALLER);

  private static Path dir;

  private final TestServicesStarter services;
  private final Server server;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();

  public TlsTestServer() throws IOException {
    services = new TestServicesStarter(false, 0);
    ServerInterceptor recordAuthorization = new ServerInterceptor() {
      @Override
      public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
          ServerCallHandler<Q, A> next) {
        String value = headers.get(AUTHORIZATION_KEY);
        if (value != null) {
          authorizations.add(value);
        }
        return next.startCall(call, headers);
      }
    };
    NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .sslContext(GrpcSslContexts.forServer(tls("server.pem"), tls("server.key")).trustManager(tls("ca.pem"))
            .clientAuth(ClientAuth.REQUIRE).build());
    services.getServices().forEach(s -> b.addService(ServerInterceptors.intercept(s, recordAuthorization)));
    server = b.build().start();
  }

  public int port() {
    return server.getPort();
  }

  /** Every {@code authorization} header received so far. */
  public List<String> authorizations() {
    return authorizations;
  }

  /**
   * A file of the test PKI, copied out of the classpath once (in another module's tests it is inside this module's
   * test-jar, which has no files).
   */
  public static synchronized File tls(String name) throws IOException {
    if (dir == null) {
      dir = Files.createTempDirectory("lakehouse-tls-test");
      dir.toFile().deleteOnExit();
    }
    Path file = dir.resolve(name);
    if (!Files.exists(file)) {
      try (InputStream in = TlsTestServer.class.getResourceAsStream("/tls/" + name)) {
        if (in == null) {
          throw new IOException("no test PKI file /tls/" + name + " on the classpath");
        }
        Files.copy(in, file);
      }
      file.toFile().deleteOnExit();
    }
    return file.toFile();
  }

  /** The spec's Temporal authentication with files of the test PKI by name (null: unset). */
  public static SecuritySpec.TemporalAuth auth(String cert, String key, String ca, String serverName, String apiKey)
      throws IOException {
    return new SecuritySpec.TemporalAuth(Optional.ofNullable(cert == null ? null : tls(cert).getPath()),
        Optional.ofNullable(key == null ? null : tls(key).getPath()), Optional.ofNullable(ca == null ? null
        : tls(ca).getPath()), Optional.ofNullable(serverName), Optional.ofNullable(apiKey));
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    services.close();
  }
}
