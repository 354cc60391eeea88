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

  /**
   * {@code checkAfter}: models of this plan, not downstream of this one, that its checks read (a relationship's
   * hub): its checks wait until they are materialized in the run, so a satellite is not checked against a hub
   * that has not loaded the same batch yet. Absent in plans recorded before checks.
   */
  public record Step(String assetKey, List<String> upstream, List<String> checkAfter) {
    public Step {
      upstream = upstream == null ? List.of() : List.copyOf(upstream);
      checkAfter = checkAfter == null ? List.of() : List.copyOf(checkAfter);
    }

    public Step(String assetKey, List<String> upstream) {
      this(assetKey, upstream, List.of());
    }
  }

  public List<String> assetKeys() {
    return steps.stream().map(Step::assetKey).toList();
  }
}
