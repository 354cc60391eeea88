package dev.lakehouse.stack;

import dev.lakehouse.spec.Endpoints;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Free ports for a stack of its own (tests, the benchmark), so it never collides with a user's `./lakehouse up`. */
public final class FreePorts {
  /**
   * Every port handed out by this JVM: two stacks started by one JVM (a test class and the shared one) must not
   * get the same port just because neither had bound it yet.
   */
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
  private static final int LOWEST_PORT = 10_000;

  private FreePorts() {}

  /** The same endpoints with every port replaced by a currently free one on its host. */
  public static Endpoints assign(Endpoints e) {
    String host = e.host();
    Endpoints.Postgres pg = e.postgres();
    Endpoints.Flink flink = e.flink();
    Endpoints.S3 s3 = e.s3();
    Endpoints.Temporal temporal = e.temporal();
    return new Endpoints(host,
        new Endpoints.Postgres(pg.host(), port(host), pg.database(), pg.user(), pg.password()),
        new Endpoints.Kafka(e.kafka().host(), port(host), port(host)),
        new Endpoints.Connect(e.connect().host(), port(host)),
        new Endpoints.Flink(flink.host(), port(host), flink.sqlGatewayHost(), port(host), port(host)),
        new Endpoints.IcebergRest(e.icebergRest().host(), port(host)),
        new Endpoints.S3(s3.host(), port(host), s3.bucket(), s3.accessKey(), s3.secretKey(), s3.region(),
            s3.credentials()),
        new Endpoints.Trino(e.trino().host(), port(host), e.trino().user()),
        new Endpoints.Temporal(temporal.host(), port(host), port(host), port(host), port(host), temporal.namespace(),
            temporal.taskQueue()),
        new Endpoints.Console(e.console().host(), port(host)));
  }

  /**
   * A port free right now, not handed out before by this JVM, and below the kernel's ephemeral range:
   * a port the OS hands out for bind(0) is also what it gives the next outgoing connection (of any
   * process), which then steals it before the service binds. A clash left is retried by the caller.
   */
  static int port(String host) {
    int below = ephemeralRangeStart();
    for (int i = 0; i < 500; i++) {
      int port = below - LOWEST_PORT > 1000 ? ThreadLocalRandom.current().nextInt(LOWEST_PORT, below) : 0;
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(InetAddress.getByName(host), port), 1);
        if (HANDED_OUT.add(s.getLocalPort())) {
          return s.getLocalPort();
        }
      } catch (IOException e) {
        // taken: try another
      }
    }
    throw new IllegalStateException("no free port found on " + host);
  }

  /** First port of /proc/sys/net/ipv4/ip_local_port_range (Linux default 32768). */
  private static int ephemeralRangeStart() {
    try {
      // not Files.readString/readAllBytes: on JDK 17 both return only "3" for this /proc/sys file
      return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim()
          .split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32768;
    }
  }
}
