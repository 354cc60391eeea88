package dev.lakehouse.worker;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import dev.lakehouse.activities.trino.AssetCheckActivitiesImpl;
import dev.lakehouse.activities.trino.FreshnessActivitiesImpl;
import dev.lakehouse.activities.trino.MaintenanceActivitiesImpl;
import dev.lakehouse.activities.trino.ModelActivitiesImpl;

/** Trino: the SQL models (parsed tables, Data Vault), their checks, Iceberg table maintenance, the models' freshness. */
final class TrinoModule extends AbstractModule {
  @Override
  protected void configure() {
    bind(ModelActivitiesImpl.class).in(Scopes.SINGLETON);
    bind(MaintenanceActivitiesImpl.class).in(Scopes.SINGLETON);
    bind(AssetCheckActivitiesImpl.class).in(Scopes.SINGLETON);
    ActivityBinder.activities(binder()).addBinding().to(ModelActivitiesImpl.class);
    ActivityBinder.activities(binder()).addBinding().to(MaintenanceActivitiesImpl.class);
    bind(FreshnessActivitiesImpl.class).in(Scopes.SINGLETON);
    ActivityBinder.activities(binder()).addBinding().to(FreshnessActivitiesImpl.class);
    ActivityBinder.activities(binder()).addBinding().to(AssetCheckActivitiesImpl.class);
  }
}
