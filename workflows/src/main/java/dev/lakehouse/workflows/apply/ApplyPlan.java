package dev.lakehouse.workflows.apply;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What an apply does, like {@code terraform plan}: the actions in converge order, the refusals (an apply with any
 * refusal changes nothing) and notes (facts worth knowing that change nothing, e.g. a table without
 * {@code REPLICA IDENTITY FULL}).
 */
public record ApplyPlan(List<ApplyAction> actions, List<String> refusals, List<String> notes) {
  public static final String NOTHING_TO_DO = "nothing to do: everything runs the spec";

  public ApplyPlan {
    actions = actions.stream().sorted(Comparator.comparing((ApplyAction a) -> a.kind().system())).toList();
    refusals = List.copyOf(refusals);
    notes = List.copyOf(notes);
  }

  /**
   * This plan with the Temporal part of the automation ({@link TemporalActions#of}: schedules and sensors, which
   * the CLI observes and reconciles client-side, as {@code lakehouse automation start} does).
   */
  public ApplyPlan withTemporal(List<ApplyAction> temporal) {
    if (refused()) {
      return this; // a refused apply changes nothing, Temporal included
    }
    List<ApplyAction> all = new ArrayList<>(actions);
    all.addAll(temporal);
    return new ApplyPlan(all, refusals, notes);
  }

  public boolean refused() {
    return !refusals.isEmpty();
  }

  public boolean nothingToDo() {
    return actions.isEmpty() && refusals.isEmpty();
  }

  public boolean has(ApplyActionKind kind) {
    return actions.stream().anyMatch(a -> a.kind() == kind);
  }

  public List<ApplyAction> of(ApplySystem system) {
    return actions.stream().filter(a -> a.kind().system() == system).toList();
  }

  /** The plan as printed: one line per action, grouped by system; refusals and notes after. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    if (nothingToDo()) {
      out.add(NOTHING_TO_DO);
    }
    for (ApplySystem system : ApplySystem.values()) {
      List<ApplyAction> group = of(system);
      if (!group.isEmpty()) {
        out.add(system.title() + ":");
        group.forEach(a -> out.add("  " + a.line()));
      }
    }
    refusals.forEach(r -> out.add("refused: " + r));
    notes.forEach(n -> out.add("note: " + n));
    return out;
  }
}
