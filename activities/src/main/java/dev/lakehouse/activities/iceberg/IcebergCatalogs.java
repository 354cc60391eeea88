package dev.lakehouse.activities.iceberg;

import dev.lakehouse.models.IcebergCatalogConfig;
import dev.lakehouse.spec.Endpoints;
import org.apache.iceberg.rest.RESTCatalog;

/** Opens iceberg-core's REST catalog client on the spec's endpoints ({@link IcebergCatalogConfig}). */
public final class IcebergCatalogs {
  private IcebergCatalogs() {}

  /** A new client; close it when done. */
  public static RESTCatalog open(Endpoints endpoints) {
    RESTCatalog catalog = new RESTCatalog();
    catalog.initialize("iceberg", IcebergCatalogConfig.properties(endpoints));
    return catalog;
  }
}
