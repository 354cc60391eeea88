package dev.lakehouse.worker;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.lakehouse.activities.iceberg.CatalogActivitiesImpl;
import dev.lakehouse.spec.PipelineSpec;

/** The Iceberg REST catalog (iceberg-core client): namespaces, raw tables, snapshots for the sensors. */
final class IcebergModule extends AbstractModule {
  @Override
  protected void configure() {
    ActivityBinder.activities(binder()).addBinding().to(CatalogActivitiesImpl.class);
  }

  @Provides
  @Singleton
  CatalogActivitiesImpl catalog(PipelineSpec spec) {
    return CatalogActivitiesImpl.create(spec);
  }
}
