package dev.lakehouse.workflows;

import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The custom search attributes and the memo of every materialize run ({@code materializer-run-*}), so the Web UI
 * and {@code temporal workflow list --query "LakehouseAssets = 'data_vault.s_users'"} find the runs that touched an
 * asset. The server must know the attributes before a run starts: the local stack's dev server is started with
 * them, and the worker registers missing ones at start (docs/architecture.md#search-attributes-and-memos).
 */
public final class RunSearchAttributes {
  /** The models the run materializes. */
  public static final SearchAttributeKey<List<String>> ASSETS = SearchAttributeKey.forKeywordList("LakehouseAssets");
  /** {@code incremental} or {@code full-refresh}. */
  public static final SearchAttributeKey<String> RUN_MODE = SearchAttributeKey.forKeyword("LakehouseRunMode");
  /** The {@link Trigger} label of the first request the run merges. */
  public static final SearchAttributeKey<String> TRIGGER = SearchAttributeKey.forKeyword("LakehouseTrigger");
  /** Every key, for registration. */
  public static final List<SearchAttributeKey<?>> ALL = List.of(ASSETS, RUN_MODE, TRIGGER);

  private RunSearchAttributes() {}

  public static String runMode(boolean fullRefresh) {
    return fullRefresh ? "full-refresh" : "incremental";
  }

  /** The attributes of a run of {@code assets}: the trigger only when one of the run's labels is known. */
  public static SearchAttributes of(List<String> assets, PendingRun run) {
    SearchAttributes.Builder b = SearchAttributes.newBuilder().set(ASSETS, List.copyOf(assets))
        .set(RUN_MODE, runMode(run.fullRefresh()));
    run.triggers().stream().flatMap(t -> Trigger.fromLabel(t).stream()).findFirst()
        .ifPresent(t -> b.set(TRIGGER, t.label()));
    return b.build();
  }

  /** The memo of a run: what was asked for and why (Web UI, {@code temporal workflow describe}). */
  public static Map<String, Object> memo(PendingRun run) {
    Map<String, Object> memo = new LinkedHashMap<>();
    memo.put("selection", run.selection());
    memo.put("mode", runMode(run.fullRefresh()));
    memo.put("triggers", run.triggers());
    memo.put("reasons", run.reasons());
    memo.put("requests", run.requests());
    memo.put("retry", run.retry());
    return memo;
  }
}
