package dev.lakehouse.reliability;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Gives tests the shared {@link Pipeline}; it is closed (worker stopped) when the whole test plan ends. */
final class PipelineExtension implements ParameterResolver {
  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == Pipeline.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    return e.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(Pipeline.class, k -> {
      try {
        return Pipeline.get();
      } catch (Exception ex) {
        throw new IllegalStateException("the reliability pipeline did not start: " + ex.getMessage(), ex);
      }
    }, Pipeline.class);
  }
}
