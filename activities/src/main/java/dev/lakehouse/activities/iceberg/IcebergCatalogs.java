package dev.lakehouse.activities.iceberg;

import dev.lakehouse.spec.Endpoints;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.rest.RESTCatalog;

/** Opens iceberg-core's REST catalog client on the spec's endpoints, with S3FileIO on the spec's S3. */
public final class IcebergCatalogs {
  private IcebergCatalogs() {}

  public static Map<String, String> properties(Endpoints endpoints) {
    Endpoints.S3 s3 = endpoints.s3();
    return Map.of(
        CatalogProperties.URI, endpoints.icebergRest().url(),
        CatalogProperties.WAREHOUSE_LOCATION, s3.warehouse(),
        CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.aws.s3.S3FileIO",
        "s3.endpoint", s3.url(),
        "s3.path-style-access", "true",
        "s3.access-key-id", s3.accessKey(),
        "s3.secret-access-key", s3.secretKey(),
        "client.region", s3.region());
  }

  /** A new client; close it when done. */
  public static RESTCatalog open(Endpoints endpoints) {
    RESTCatalog catalog = new RESTCatalog();
    catalog.initialize("iceberg", properties(endpoints));
    return catalog;
  }
}
