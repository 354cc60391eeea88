package dev.lakehouse.workflows.impl;

import dev.lakehouse.workflows.Incident;
import dev.lakehouse.workflows.IncidentsInput;
import dev.lakehouse.workflows.IncidentsWorkflow;
import dev.lakehouse.workflows.activities.ActivityOptionsCatalog;
import dev.lakehouse.workflows.activities.AlertActivities;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Diffs each report against the open incidents of its scope: a new key opens (one alert), a key no longer reported
 * resolves (one alert), a key still reported stays open without an alert (its message is refreshed). Alerts run
 * without being awaited, so a dead webhook never holds the reports; before continuing as new it waits for them.
 */
public class IncidentsWorkflowImpl implements IncidentsWorkflow {
  private static final Logger log = Workflow.getLogger(IncidentsWorkflowImpl.class);

  private final AlertActivities alerts =
      Workflow.newActivityStub(AlertActivities.class, ActivityOptionsCatalog.alerts());
  private final Map<String, Incident> open = new LinkedHashMap<>();
  private final List<Promise<Void>> sending = new ArrayList<>();
  private int reports;

  @Override
  public void run(IncidentsInput input) {
    input.open().forEach(i -> open.put(i.key(), i));
    Workflow.await(() -> reports >= input.reportsPerExecution() || Workflow.getInfo().isContinueAsNewSuggested());
    Promise.allOf(sending).get();
    Workflow.continueAsNew(new IncidentsInput(List.copyOf(open.values()), input.reportsPerExecution()));
  }

  @Override
  public void report(String scope, List<Incident> current) {
    reports++;
    Map<String, Incident> now = new LinkedHashMap<>();
    current.forEach(i -> now.put(i.key(), i));
    for (Incident i : now.values()) {
      Incident was = open.get(i.key());
      if (was == null) {
        open.put(i.key(), i);
        alert(i, false);
      } else {
        // still open: no alert; keep when it opened, take the latest message and run
        open.put(i.key(), new Incident(i.scope(), i.kind(), i.asset(), i.message(), was.sinceMillis(),
            i.workflowId()));
      }
    }
    for (Incident i : List.copyOf(open.values())) {
      if (i.scope().equals(scope) && !now.containsKey(i.key())) {
        open.remove(i.key());
        alert(i, true);
      }
    }
  }

  private void alert(Incident incident, boolean resolved) {
    log.info("incident {} {}: {}", resolved ? "resolved" : "opened", incident.key(), incident.message());
    Promise<String> sent = Async.function(alerts::send, incident, resolved);
    sending.add(sent.handle((ok, failure) -> {
      if (failure != null) {
        log.warn("alert for {} not delivered: {}", incident.key(), failure.getMessage());
      }
      return null;
    }));
  }

  @Override
  public List<Incident> open() {
    return List.copyOf(open.values());
  }
}
