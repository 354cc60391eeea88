package dev.lakehouse.worker;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.lakehouse.activities.trino.TrinoMaintenanceActivities;
import dev.lakehouse.activities.trino.TrinoModelActivities;
import dev.lakehouse.spec.PipelineSpec;

/** Trino: the SQL models (parsed tables, Data Vault) and Iceberg table maintenance. */
final class TrinoModule extends AbstractModule {
  @Override
  protected void configure() {
    ActivityBinder.activities(binder()).addBinding().to(TrinoModelActivities.class);
    ActivityBinder.activities(binder()).addBinding().to(TrinoMaintenanceActivities.class);
  }

  @Provides
  @Singleton
  TrinoModelActivities models(PipelineSpec spec) {
    return TrinoModelActivities.create(spec);
  }

  @Provides
  @Singleton
  TrinoMaintenanceActivities maintenance(PipelineSpec spec) {
    return TrinoMaintenanceActivities.create(spec);
  }
}
