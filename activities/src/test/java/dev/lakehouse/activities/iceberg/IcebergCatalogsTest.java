package dev.lakehouse.activities.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.models.IcebergCatalogConfig;
import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.SpecLoader;
import org.apache.iceberg.CatalogProperties;
import org.junit.jupiter.api.Test;

class IcebergCatalogsTest {
  @Test
  void theSharedPropertiesUseIcebergCoresKeys() {
    // models has no iceberg dependency, so it spells the keys; they must be the ones the client reads
    Endpoints e = SpecLoader.load().endpoints();
    assertThat(IcebergCatalogConfig.properties(e))
        .containsEntry(CatalogProperties.URI, e.icebergRest().url())
        .containsEntry(CatalogProperties.WAREHOUSE_LOCATION, e.s3().warehouse())
        .containsEntry(CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.aws.s3.S3FileIO");
  }
}
