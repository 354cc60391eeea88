package dev.lakehouse.activities.trino;

import dev.lakehouse.models.MaintenanceSql;
import dev.lakehouse.models.ModelSql;
import dev.lakehouse.models.ModelStatement;
import dev.lakehouse.models.ModelStatement.Role;
import dev.lakehouse.models.OpsSql;
import dev.lakehouse.spec.PipelineSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which tables a generated model's run compacts (docs/models.md#compaction). Every commit adds at least one data
 * file, and every query that plans a table decodes the manifest entry of each of its files: on this stack about
 * 6 ms of Trino CPU per file and statement, so a table committed every few seconds makes every statement reading
 * it dearer until it is compacted. This counts, per table, the commits this worker's runs made (or, for a raw
 * table, read) since the table was last compacted here, and hands a table to a run once it has {@code every}.
 *
 * <p>A run is given only tables it may rewrite without racing a writer: those it writes itself (one writer per
 * table, the coordinator's rule), its raw input (only appended to, by Flink) and {@code ops.materializations}
 * (only appended to); a rewrite never conflicts with an append. Two runs of this worker never compact one table
 * at once ({@link #claim}); another compaction of it (a maintenance schedule) may make one of the two fail, which
 * is logged and forgotten: the next {@code every} commits try again. A compaction runs after its run has returned
 * (off the path to the downstream models); the model's next run waits for it before it writes.
 */
final class TableCompaction {
  private static final Logger log = LoggerFactory.getLogger(TableCompaction.class);

  private final int every;
  /** {@code optimize}'s {@code file_size_threshold}: the raw-parsed maintenance's, files under it are rewritten */
  private final String threshold;
  private final Map<String, Integer> commits = new ConcurrentHashMap<>();
  private final Set<String> claimed = ConcurrentHashMap.newKeySet();
  /** Per table, the end of the last compaction this worker started of it. */
  private final Map<String, CompletableFuture<Void>> running = new ConcurrentHashMap<>();

  /** {@code every}: commits before a compaction; 0 turns compaction off. */
  TableCompaction(int every, String threshold) {
    if (every < 0) {
      throw new IllegalArgumentException("compaction every " + every + " commits: must be 0 (off) or positive");
    }
    this.every = every;
    this.threshold = threshold;
  }

  boolean enabled() {
    return every > 0;
  }

  /** One more commit to each of {@code tables}. */
  void committed(Collection<String> tables) {
    if (enabled()) {
      tables.forEach(t -> commits.merge(t, 1, Integer::sum));
    }
  }

  /**
   * Of {@code candidates} (the tables the calling run may rewrite), those due now, each claimed until
   * {@link #finished}: no other run of this worker is handed it meanwhile.
   */
  List<Claim> claim(Collection<String> candidates) {
    List<Claim> due = new ArrayList<>();
    if (!enabled()) {
      return due;
    }
    for (String table : candidates) {
      int n = commits.getOrDefault(table, 0);
      if (n >= every && claimed.add(table)) {
        due.add(new Claim(table, n));
      }
    }
    return due;
  }

  /**
   * Releases a claim. The commits counted when it was made are taken off whether the compaction succeeded or not
   * (a failure is retried after as many commits again, not by every run); those counted meanwhile stay.
   */
  void finished(Claim claim) {
    commits.merge(claim.table(), -claim.commits(), Integer::sum);
    claimed.remove(claim.table());
  }

  /**
   * After a run of {@code model} that read rows: counts the files it added ({@code written}: the tables its
   * statements wrote rows to; and its raw input, which Flink appended to), then starts the compaction of each of the
   * tables this run may rewrite that are due, through {@code beside} (a connection of its own), and returns without
   * waiting: the run's rows are committed, and its downstream models need not wait for a rewrite of them. The next
   * run of the model waits for them before it writes ({@link #awaitCompactions}). A compaction that fails is logged,
   * not a run's failure: the maintenance schedules compact the table too.
   */
  void afterRun(ModelSql.Model model, Collection<String> written,
      Function<ModelStatement, CompletableFuture<Long>> beside) {
    if (!enabled()) {
      return;
    }
    Set<String> candidates = new LinkedHashSet<>(model.targets());
    candidates.add(OpsSql.TABLE);
    List<String> added = new ArrayList<>(written);
    if (model.input().startsWith(ModelSql.table(PipelineSpec.RAW_SCHEMA) + ".")) {
      candidates.add(model.input());
      added.add(model.input());
    }
    committed(added);
    for (Claim claim : claim(candidates)) {
      CompletableFuture<Void> ended = new CompletableFuture<>();
      running.put(claim.table(), ended); // before it starts: a run that writes the table waits for it from now on
      long started = System.nanoTime();
      CompletableFuture<Long> compacted;
      try {
        compacted = beside.apply(statement(claim.table()));
      } catch (RuntimeException e) {
        compacted = CompletableFuture.failedFuture(e);
      }
      compacted.whenComplete((rows, failure) -> {
        if (failure == null) {
          log.info("{}: compacted {} after {} commits in {} ms", model.asset(), claim.table(), claim.commits(),
              (System.nanoTime() - started) / 1_000_000);
        } else {
          Throwable cause = failure instanceof CompletionException && failure.getCause() != null
              ? failure.getCause() : failure;
          log.warn("{}: compacting {} failed; left to the next {} commits or the maintenance schedules: {}",
              model.asset(), claim.table(), every, String.valueOf(cause.getMessage()).lines().findFirst().orElse(""));
        }
        ended.complete(null);
        finished(claim);
      });
    }
  }

  /**
   * Waits until no compaction this worker started of any of {@code tables} is running: a run calls it before it
   * writes them, so that a rewrite never races a {@code MERGE} that deletes rows from the files it rewrites (one
   * writer per table). Returns the milliseconds waited.
   */
  long awaitCompactions(Collection<String> tables) {
    long start = System.nanoTime();
    for (String table : tables) {
      CompletableFuture<Void> ended = running.get(table);
      if (ended != null) {
        ended.join(); // completed normally whatever the compaction's outcome
      }
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** Waits until every compaction started so far has ended. */
  void awaitAll() {
    awaitCompactions(List.copyOf(running.keySet()));
  }

  private ModelStatement statement(String table) {
    return new ModelStatement(Role.COMPACT, MaintenanceSql.optimize(MaintenanceSql.key(table), threshold));
  }

  /** Commits counted for {@code table} and not yet compacted away (for tests and logs). */
  int pending(String table) {
    return commits.getOrDefault(table, 0);
  }

  /** A table handed to one run to compact, and the commits it had then. */
  record Claim(String table, int commits) {}
}
