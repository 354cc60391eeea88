package dev.lakehouse.workflows;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/**
 * {@code incidents}: the open incidents of the lakehouse, across the runs that report them (each health check and
 * maintenance run is a fresh workflow started by a schedule). A source reports everything it currently sees in its
 * scope; what is new opens (one alert), what is gone resolves (one alert). Continues as new with its open incidents.
 */
@WorkflowInterface
public interface IncidentsWorkflow {
  @WorkflowMethod
  void run(IncidentsInput input);

  /** The whole current set of incidents of {@code scope} (empty: all of its incidents resolved). */
  @SignalMethod
  void report(String scope, List<Incident> current);

  @QueryMethod
  List<Incident> open();
}
