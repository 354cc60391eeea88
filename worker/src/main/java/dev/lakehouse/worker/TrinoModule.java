package dev.lakehouse.worker;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.lakehouse.activities.trino.MaintenanceActivitiesImpl;
import dev.lakehouse.activities.trino.ModelActivitiesImpl;
import dev.lakehouse.spec.PipelineSpec;

/** Trino: the SQL models (parsed tables, Data Vault) and Iceberg table maintenance. */
final class TrinoModule extends AbstractModule {
  @Override
  protected void configure() {
    ActivityBinder.activities(binder()).addBinding().to(ModelActivitiesImpl.class);
    ActivityBinder.activities(binder()).addBinding().to(MaintenanceActivitiesImpl.class);
  }

  @Provides
  @Singleton
  ModelActivitiesImpl models(PipelineSpec spec) {
    return ModelActivitiesImpl.create(spec);
  }

  @Provides
  @Singleton
  MaintenanceActivitiesImpl maintenance(PipelineSpec spec) {
    return MaintenanceActivitiesImpl.create(spec);
  }
}
