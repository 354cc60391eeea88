package dev.lakehouse.starter;

import dev.lakehouse.models.ModelLags;
import dev.lakehouse.workflows.assets.AssetGraph;
import java.time.Instant;

/**
 * Per model asset, read from Trino by {@link TrinoReads#assets}: the last materialization
 * ({@code ops.materializations}), the rejected count, and freshness. Freshness compares what raw holds with what the asset has consumed (its watermark, Kafka
 * offsets per partition): the raw rows not yet in the asset are the rows of its input above its watermark (for a
 * vault model, the parsed rows above its watermark, plus everything still pending upstream); the asset is
 * stale since the oldest raw snapshot that committed such a row, and fresh when there is none.
 */
public final class AssetStatus {
  private AssetStatus() {}

  /**
   * One model. {@code lastAt}/{@code runId}/{@code rowsIn}/{@code rowsOut}: its last successful run that read
   * rows (null: never). {@code rejected}: rows rejected since its last full refresh (what its rejected table holds);
   * {@code lastRejected}: by the last run. {@code pendingRows}: raw rows not yet materialized (this asset's own
   * input and upstream's); {@code staleSince}: commit time of the oldest raw snapshot holding one of them (null:
   * fresh). {@code problem}: why something could not be read.
   */
  public record State(String asset, Instant lastAt, String runId, Long rowsIn, Long rowsOut, long rejected,
      Long lastRejected, long pendingRows, Instant staleSince, String problem) {
    public boolean fresh() {
      return problem == null && pendingRows == 0;
    }

    /** Seconds between the oldest unmaterialized raw snapshot and {@code now}; 0 when fresh. */
    public long freshnessSeconds(Instant now) {
      return staleSince == null ? 0 : Math.max(0, now.getEpochSecond() - staleSince.getEpochSecond());
    }
  }

  /** The raw table a model's rows come from ({@link ModelLags#rawTableOf}). */
  static String rawTableOf(AssetGraph graph, String key) {
    return ModelLags.rawTableOf(graph, key);
  }
}
