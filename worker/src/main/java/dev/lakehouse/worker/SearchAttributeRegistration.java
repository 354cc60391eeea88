package dev.lakehouse.worker;

import dev.lakehouse.spec.SecuritySpec;
import dev.lakehouse.temporal.TemporalTls;
import dev.lakehouse.workflows.RunSearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesResponse;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the search attributes of the materialize runs ({@link RunSearchAttributes}) that the server does not
 * have yet, through the operator API: a server that lacks them rejects the start of every run. The local stack's
 * dev server is started with them already; this covers the Docker stack's server and any other.
 */
final class SearchAttributeRegistration {
  private static final Logger log = LoggerFactory.getLogger(SearchAttributeRegistration.class);

  private SearchAttributeRegistration() {}

  /**
   * Returns the names it added. A server that refuses is logged with what to do, not fatal (runs then fail). A
   * server that cannot list them (the Java test server) is asked to add each, an existing one being no error.
   */
  static List<String> ensure(String target, String namespace, SecuritySpec.TemporalAuth auth) {
    // stubs of their own with the workflow stubs' TLS and API key (a key is a header each stubs add themselves)
    OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(TemporalTls.apply(
        OperatorServiceStubsOptions.newBuilder().setTarget(target), auth).validateAndBuildWithDefaults());
    try {
      List<String> added = new ArrayList<>();
      for (SearchAttributeKey<?> key : missing(operator, namespace)) {
        try {
          operator.blockingStub().withDeadlineAfter(30, TimeUnit.SECONDS).addSearchAttributes(
              AddSearchAttributesRequest.newBuilder().setNamespace(namespace)
                  .putSearchAttributes(key.getName(), key.getValueType()).build());
          added.add(key.getName());
        } catch (StatusRuntimeException e) {
          if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
            throw e;
          }
        }
      }
      if (!added.isEmpty()) {
        log.info("registered search attributes {} in namespace '{}'", added, namespace);
      }
      return added;
    } catch (StatusRuntimeException e) {
      log.warn("cannot register the search attributes {} in namespace '{}' ({}): materialize runs fail to start"
          + " until they exist. Register them: temporal operator search-attribute create --namespace {}"
          + " --name LakehouseAssets --type KeywordList --name LakehouseRunMode --type Keyword"
          + " --name LakehouseTrigger --type Keyword", RunSearchAttributes.ALL.stream()
          .map(SearchAttributeKey::getName).toList(), namespace, e.getStatus(), namespace);
      return List.of();
    } finally {
      operator.shutdown();
    }
  }

  /** The attributes the server lacks; all of them when it cannot list its attributes. */
  private static List<SearchAttributeKey<?>> missing(OperatorServiceStubs operator, String namespace) {
    try {
      ListSearchAttributesResponse known = operator.blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS)
          .listSearchAttributes(ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build());
      return RunSearchAttributes.ALL.stream()
          .filter(k -> !known.getCustomAttributesMap().containsKey(k.getName())).toList();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        return RunSearchAttributes.ALL;
      }
      throw e;
    }
  }
}
