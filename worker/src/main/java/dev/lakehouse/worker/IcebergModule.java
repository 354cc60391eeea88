package dev.lakehouse.worker;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import dev.lakehouse.activities.iceberg.CatalogActivitiesImpl;

/** The Iceberg REST catalog (iceberg-core client): namespaces, raw tables, snapshots for the sensors. */
final class IcebergModule extends AbstractModule {
  @Override
  protected void configure() {
    bind(CatalogActivitiesImpl.class).in(Scopes.SINGLETON);
    ActivityBinder.activities(binder()).addBinding().to(CatalogActivitiesImpl.class);
  }
}
