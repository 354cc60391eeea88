package dev.lakehouse.worker;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.lakehouse.activities.trino.ModelRunner;
import dev.lakehouse.activities.trino.ModelSql;
import dev.lakehouse.activities.trino.TrinoConnections;
import dev.lakehouse.activities.trino.TrinoMaintenanceActivities;
import dev.lakehouse.activities.trino.TrinoModelActivities;
import dev.lakehouse.workflows.spec.PipelineSpec;
import java.time.Clock;
import java.time.Duration;

/** Trino: the SQL models (parsed tables, Data Vault) and Iceberg table maintenance. */
final class TrinoModule extends AbstractModule {
  /** Long model runs heartbeat at least this often (the activity's heartbeat timeout is larger). */
  private static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(10);

  @Override
  protected void configure() {
    ActivityBinder.activities(binder()).addBinding().to(TrinoModelActivities.class);
    ActivityBinder.activities(binder()).addBinding().to(TrinoMaintenanceActivities.class);
  }

  @Provides
  @Singleton
  TrinoConnections connections(PipelineSpec spec) {
    return new TrinoConnections(spec.endpoints().trino());
  }

  @Provides
  @Singleton
  TrinoModelActivities models(PipelineSpec spec, TrinoConnections connections) {
    return new TrinoModelActivities(new ModelRunner(new ModelSql(spec), connections, Clock.systemUTC()),
        HEARTBEAT_EVERY);
  }

  @Provides
  @Singleton
  TrinoMaintenanceActivities maintenance(PipelineSpec spec, TrinoConnections connections) {
    return new TrinoMaintenanceActivities(spec, connections);
  }
}
