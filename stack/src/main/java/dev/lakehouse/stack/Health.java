package dev.lakehouse.stack;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Small health probes: HTTP GET, a Kafka ApiVersions round trip. */
public final class Health {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).build();

  private Health() {}

  /** A GET's status and body; throws on connection failure. */
  public static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** null if GET url answers with the expected status (and body fragment, if given). */
  public static String http(String url, int expectedStatus, String bodyContains) {
    try {
      HttpResponse<String> r = get(url);
      if (r.statusCode() != expectedStatus) {
        return "GET " + url + " -> " + r.statusCode();
      }
      if (bodyContains != null && !r.body().contains(bodyContains)) {
        return "GET " + url + " -> body lacks " + bodyContains;
      }
      return null;
    } catch (Exception e) {
      return "GET " + url + ": " + e.getClass().getSimpleName();
    }
  }

  /** null if a Kafka broker answers an ApiVersions request (v0) without error. */
  public static String kafkaApiVersions(String host, int port) {
    return kafkaApiVersions(host, port, null);
  }

  /** {@link #kafkaApiVersions(String, int)} over TLS when {@code ssl} is set (a listener with SSL or SASL_SSL). */
  public static String kafkaApiVersions(String host, int port, javax.net.ssl.SSLContext ssl) {
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(host, port), 2000);
      plain.setSoTimeout(3000);
      Socket s = plain;
      if (ssl != null) {
        javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) ssl.getSocketFactory().createSocket(plain, host, port,
            true);
        javax.net.ssl.SSLParameters params = tls.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(params);
        tls.startHandshake();
        s = tls;
      }
      byte[] client = "lakehouse-stack".getBytes(StandardCharsets.UTF_8);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeInt(2 + 2 + 4 + 2 + client.length);
      out.writeShort(18); // ApiVersions
      out.writeShort(0); // version 0
      out.writeInt(42); // correlation id
      out.writeShort(client.length);
      out.write(client);
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      int size = in.readInt();
      int correlation = in.readInt();
      short error = in.readShort();
      if (size <= 0 || correlation != 42) {
        return "kafka: unexpected ApiVersions response";
      }
      return error == 0 ? null : "kafka: ApiVersions error " + error;
    } catch (Exception e) {
      return "kafka " + host + ":" + port + ": " + e.getClass().getSimpleName();
    }
  }
}
