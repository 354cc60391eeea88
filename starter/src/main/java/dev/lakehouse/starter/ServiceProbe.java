package dev.lakehouse.starter;

import dev.lakehouse.spec.Endpoints;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Which stack services answer: a TCP connect to each endpoint of the spec (no protocol, no credentials). */
final class ServiceProbe {
  private ServiceProbe() {}

  record Service(String name, String host, int port, boolean up) {
    String address() {
      return host + ":" + port;
    }
  }

  /** The services of the spec's endpoints, in start order. */
  static List<Service> endpoints(Endpoints e) {
    return List.of(
        new Service("postgres", e.postgres().host(), e.postgres().port(), false),
        new Service("kafka", e.kafka().host(), e.kafka().port(), false),
        new Service("connect", e.connect().host(), e.connect().port(), false),
        new Service("flink", e.flink().host(), e.flink().port(), false),
        new Service("flink-sql-gateway", e.flink().sqlGatewayHost(), e.flink().sqlGatewayPort(), false),
        new Service("iceberg-rest", e.icebergRest().host(), e.icebergRest().port(), false),
        new Service("s3", e.s3().host(), e.s3().port(), false),
        new Service("trino", e.trino().host(), e.trino().port(), false),
        new Service("temporal", e.temporal().host(), e.temporal().port(), false),
        new Service("temporal-ui", e.temporal().host(), e.temporal().uiPort(), false));
  }

  /** Probes every service in parallel, {@code timeoutMillis} each. */
  static List<Service> probe(List<Service> services, int timeoutMillis) {
    List<CompletableFuture<Service>> checks = new ArrayList<>();
    for (Service s : services) {
      checks.add(CompletableFuture.supplyAsync(() -> new Service(s.name(), s.host(), s.port(),
          answers(s.host(), s.port(), timeoutMillis))));
    }
    return checks.stream().map(CompletableFuture::join).toList();
  }

  static boolean answers(String host, int port, int timeoutMillis) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), timeoutMillis);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
