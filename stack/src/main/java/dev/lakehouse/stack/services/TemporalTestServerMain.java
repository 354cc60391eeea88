package dev.lakehouse.stack.services;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.net.InetSocketAddress;

/**
 * The local stack's last-resort Temporal: the SDK's Java test server (in memory, real time), bound to one
 * address. TestServer.main binds every interface and has no option for it, so this does what its
 * createPortBoundServer does with an address-bound builder. Runs with target/services/temporal-test-server/lib
 * on the classpath (compiled against it with provided scope). Args: host port.
 */
public final class TemporalTestServerMain {
  private TemporalTestServerMain() {}

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    TestServicesStarter services = new TestServicesStarter(true, 0); // time skipping locked: real time
    ServerBuilder<?> builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port));
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    Server server = builder.build().start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.shutdownNow();
      services.close();
    }));
    System.out.println("Temporal Java test server listening on " + host + ":" + port);
    server.awaitTermination();
  }
}
