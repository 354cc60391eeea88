package dev.lakehouse.stack;

import static dev.lakehouse.stack.Services.java;
import static dev.lakehouse.stack.Services.write;

import dev.lakehouse.spec.Endpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** S3 (S3Proxy, filesystem backend). */
final class S3Service extends Service {
  S3Service() {
    super("s3", List.of());
  }

  @Override public int port(Endpoints e) {
    return e.s3().port();
  }

  @Override public List<String> processNames() {
    return List.of("s3");
  }

  @Override public List<ProcSpec> prepare(StackContext ctx) throws Exception {
    Endpoints e = ctx.endpoints();
    Path data = ctx.data("s3");
    Files.createDirectories(data.resolve(e.s3().bucket())); // a bucket is a directory in this backend
    Path conf = ctx.conf("s3").resolve("s3proxy.properties");
    write(conf, String.join("\n",
        "s3proxy.endpoint=http://" + e.host() + ":" + e.s3().port(),
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + e.s3().accessKey(),
        "s3proxy.credential=" + e.s3().secretKey(),
        // Trino's native S3 client sends headers S3Proxy does not know: without this its writes fail
        "s3proxy.ignore-unknown-headers=true",
        "jclouds.provider=filesystem-nio2",
        "jclouds.filesystem.basedir=" + data,
        ""));
    return List.of(new ProcSpec("s3", java(ctx, ctx.java(), List.of("-Xmx256m", "-Xss512k"), null, "-jar",
        ctx.service("s3/s3proxy.jar").toString(), "--properties", conf.toString()), Map.of(), data));
  }

  /**
   * With {@code lakehouse.endpoints.s3.credentials = default-chain}, the environment that gives a client process of
   * the local S3 (Trino, the Iceberg REST catalog, Flink, the worker) its keys: the AWS SDK's default chain reads
   * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, and S3Proxy has one identity, the spec's. Empty with
   * static keys, which the clients' configs hold. An environment is the owner's only ({@code /proc/<pid>/environ}).
   */
  static Map<String, String> clientEnv(Endpoints e) {
    if (e.s3().staticKeys()) {
      return Map.of();
    }
    return Map.of("AWS_ACCESS_KEY_ID", e.s3().accessKey(), "AWS_SECRET_ACCESS_KEY", e.s3().secretKey(),
        "AWS_REGION", e.s3().region());
  }

  @Override public String unhealthyReason(StackContext ctx) {
    // the S3 API answers for the bucket (a listing, or AccessDenied if anonymous reads are refused)
    String url = ctx.endpoints().s3().url() + "/" + ctx.endpoints().s3().bucket();
    try {
      var r = Health.get(url);
      return r.body().contains("ListBucketResult") || r.body().contains("AccessDenied") ? null
          : "GET " + url + " -> " + r.statusCode();
    } catch (Exception ex) {
      return "GET " + url + ": " + ex.getClass().getSimpleName();
    }
  }
}
