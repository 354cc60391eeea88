package dev.lakehouse.workflows.assets;

import java.util.List;

/**
 * The models a selection materializes, in topological order; each step's {@code upstream} lists only
 * steps of this plan (what must finish before it starts). Passed to {@code MaterializeWorkflow} as
 * input, so a run is fully described by its history.
 */
public record MaterializePlan(String selection, List<Step> steps) {
  public MaterializePlan {
    steps = steps == null ? List.of() : List.copyOf(steps);
  }

  public record Step(String assetKey, List<String> upstream) {
    public Step {
      upstream = upstream == null ? List.of() : List.copyOf(upstream);
    }
  }

  public List<String> assetKeys() {
    return steps.stream().map(Step::assetKey).toList();
  }
}
