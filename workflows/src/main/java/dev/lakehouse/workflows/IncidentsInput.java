package dev.lakehouse.workflows;

import java.util.List;

/** The open incidents carried across continue-as-new, and after how many reports it continues as new. */
public record IncidentsInput(List<Incident> open, int reportsPerExecution) {
  public IncidentsInput {
    open = open == null ? List.of() : List.copyOf(open);
  }

  public static IncidentsInput initial() {
    return new IncidentsInput(List.of(), 500);
  }
}
