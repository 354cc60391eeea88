package dev.lakehouse.worker;

import com.google.inject.AbstractModule;
import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.workflows.assets.AssetGraph;

/** The loaded spec, its endpoints and asset graph, and the worker's own settings, for every other module. */
public final class SpecModule extends AbstractModule {
  private final PipelineSpec spec;
  private final WorkerConfig config;

  public SpecModule(PipelineSpec spec, WorkerConfig config) {
    this.spec = spec;
    this.config = config;
  }

  @Override
  protected void configure() {
    bind(PipelineSpec.class).toInstance(spec);
    bind(Endpoints.class).toInstance(spec.endpoints());
    bind(AssetGraph.class).toInstance(AssetGraph.fromSpec(spec));
    bind(WorkerConfig.class).toInstance(config);
  }
}
