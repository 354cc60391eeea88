package dev.lakehouse.worker;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.lakehouse.activities.connect.ConnectActivitiesImpl;
import dev.lakehouse.activities.flink.FlinkActivitiesImpl;
import dev.lakehouse.activities.kafka.KafkaActivitiesImpl;
import dev.lakehouse.activities.source.SourceActivitiesImpl;
import dev.lakehouse.spec.PipelineSpec;

/**
 * Ingestion's outside systems, one binding each: Kafka Connect (Debezium connector), Flink (the ingest
 * job), Kafka (consumer lag), the PostgreSQL source (replication slot lag).
 */
final class IngestionModule extends AbstractModule {
  @Override
  protected void configure() {
    ActivityBinder.activities(binder()).addBinding().to(ConnectActivitiesImpl.class);
    ActivityBinder.activities(binder()).addBinding().to(FlinkActivitiesImpl.class);
    ActivityBinder.activities(binder()).addBinding().to(KafkaActivitiesImpl.class);
    ActivityBinder.activities(binder()).addBinding().to(SourceActivitiesImpl.class);
  }

  @Provides
  @Singleton
  ConnectActivitiesImpl connect(PipelineSpec spec) {
    return new ConnectActivitiesImpl(spec);
  }

  @Provides
  @Singleton
  FlinkActivitiesImpl flink(PipelineSpec spec) {
    return new FlinkActivitiesImpl(spec);
  }

  @Provides
  @Singleton
  KafkaActivitiesImpl kafka(PipelineSpec spec) {
    return new KafkaActivitiesImpl(spec);
  }

  @Provides
  @Singleton
  SourceActivitiesImpl source(PipelineSpec spec) {
    return new SourceActivitiesImpl(spec);
  }
}
