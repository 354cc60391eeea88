package dev.lakehouse.models;

import dev.lakehouse.spec.Endpoints;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The properties of an Iceberg REST catalog client on the spec's endpoints, with S3FileIO on the spec's S3: the
 * same for the Flink job's catalog ({@link IngestSql}) and the activities' iceberg-core client, so both see the
 * same tables. With {@code lakehouse.endpoints.s3.credentials = default-chain} there are no S3 keys: each
 * process's S3FileIO finds its own (AWS SDK default chain). Keys are iceberg-core's ({@code CatalogProperties.URI}
 * is {@code uri}, ...).
 */
public final class IcebergCatalogConfig {
  private IcebergCatalogConfig() {}

  /** In a stable order (the Flink statement prints them). */
  public static Map<String, String> properties(Endpoints endpoints) {
    Endpoints.S3 s3 = endpoints.s3();
    Map<String, String> p = new LinkedHashMap<>();
    p.put("uri", endpoints.icebergRest().url());
    p.put("warehouse", s3.warehouse());
    p.put("io-impl", "org.apache.iceberg.aws.s3.S3FileIO");
    p.put("s3.endpoint", s3.url());
    p.put("s3.path-style-access", "true");
    if (s3.staticKeys()) { // else S3FileIO resolves keys with the AWS SDK's default chain, in each process
      p.put("s3.access-key-id", s3.accessKey());
      p.put("s3.secret-access-key", s3.secretKey());
    }
    p.put("client.region", s3.region());
    return Collections.unmodifiableMap(p);
  }
}
