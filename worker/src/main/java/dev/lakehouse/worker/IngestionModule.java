package dev.lakehouse.worker;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import dev.lakehouse.activities.apply.SpecApplyActivitiesImpl;
import dev.lakehouse.activities.connect.ConnectActivitiesImpl;
import dev.lakehouse.activities.flink.FlinkActivitiesImpl;
import dev.lakehouse.activities.kafka.KafkaActivitiesImpl;
import dev.lakehouse.activities.source.SourceActivitiesImpl;

/**
 * Ingestion's outside systems, one binding each: Kafka Connect (Debezium connector), Flink (the ingest
 * job), Kafka (consumer lag), the PostgreSQL source (replication slot lag); and {@code lakehouse apply}, which
 * converges all of them to a new structure.
 */
final class IngestionModule extends AbstractModule {
  @Override
  protected void configure() {
    bind(ConnectActivitiesImpl.class).in(Scopes.SINGLETON);
    bind(FlinkActivitiesImpl.class).in(Scopes.SINGLETON);
    bind(KafkaActivitiesImpl.class).in(Scopes.SINGLETON);
    bind(SourceActivitiesImpl.class).in(Scopes.SINGLETON);
    bind(SpecApplyActivitiesImpl.class).in(Scopes.SINGLETON);
    ActivityBinder.activities(binder()).addBinding().to(ConnectActivitiesImpl.class);
    ActivityBinder.activities(binder()).addBinding().to(FlinkActivitiesImpl.class);
    ActivityBinder.activities(binder()).addBinding().to(KafkaActivitiesImpl.class);
    ActivityBinder.activities(binder()).addBinding().to(SourceActivitiesImpl.class);
    ActivityBinder.activities(binder()).addBinding().to(SpecApplyActivitiesImpl.class);
  }
}
