package dev.lakehouse.worker;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import dev.lakehouse.activities.trino.AssetCheckActivitiesImpl;
import dev.lakehouse.activities.trino.MaintenanceActivitiesImpl;
import dev.lakehouse.activities.trino.ModelActivitiesImpl;

/** Trino: the SQL models (parsed tables, Data Vault), their checks and Iceberg table maintenance. */
final class TrinoModule extends AbstractModule {
  @Override
  protected void configure() {
    bind(ModelActivitiesImpl.class).in(Scopes.SINGLETON);
    bind(MaintenanceActivitiesImpl.class).in(Scopes.SINGLETON);
    bind(AssetCheckActivitiesImpl.class).in(Scopes.SINGLETON);
    ActivityBinder.activities(binder()).addBinding().to(ModelActivitiesImpl.class);
    ActivityBinder.activities(binder()).addBinding().to(MaintenanceActivitiesImpl.class);
    ActivityBinder.activities(binder()).addBinding().to(AssetCheckActivitiesImpl.class);
  }
}
