package dev.lakehouse.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The input rows a model run reads: per Kafka partition, offsets {@code (fromExclusive, toInclusive]}.
 * A partition never seen starts at -1. Stored in {@code ops.materializations.input_ranges} as JSON text
 * {@code {"0":[-1,41],"1":[7,9]}}; the watermark of a model is the {@code toInclusive} of each partition of
 * its latest successful run.
 */
public record InputRange(SortedMap<Integer, Bounds> partitions) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Offsets {@code (fromExclusive, toInclusive]} of one partition; empty when {@code to <= from}. */
  public record Bounds(long fromExclusive, long toInclusive) {
    public boolean isEmpty() {
      return toInclusive <= fromExclusive;
    }
  }

  public InputRange {
    partitions = Collections.unmodifiableSortedMap(new TreeMap<>(partitions));
  }

  public static InputRange empty() {
    return new InputRange(new TreeMap<>());
  }

  public static InputRange of(Map<Integer, Bounds> partitions) {
    return new InputRange(new TreeMap<>(partitions));
  }

  /** Everything: every partition from -1 (used by {@code lakehouse models sql} offline). */
  public static InputRange everything(int partition) {
    return of(Map.of(partition, new Bounds(-1, Long.MAX_VALUE)));
  }

  /** Where the range starts: {@code fromExclusive} per partition (the watermark it was planned from). */
  public Map<Integer, Long> start() {
    Map<Integer, Long> m = new TreeMap<>();
    partitions.forEach((p, b) -> m.put(p, b.fromExclusive()));
    return m;
  }

  /** The watermark: {@code toInclusive} per partition. */
  public Map<Integer, Long> watermark() {
    Map<Integer, Long> m = new TreeMap<>();
    partitions.forEach((p, b) -> m.put(p, b.toInclusive()));
    return m;
  }

  /**
   * The range of the next run: from {@code watermark} (-1 for a partition never seen) to {@code maxOffsets}
   * (the highest offset per partition at the start of the run). Partitions of the watermark without new rows
   * are carried (empty bounds) so the next watermark still holds them.
   */
  public static InputRange next(Map<Integer, Long> watermark, Map<Integer, Long> maxOffsets) {
    SortedMap<Integer, Bounds> m = new TreeMap<>();
    watermark.forEach((p, w) -> m.put(p, new Bounds(w, w)));
    maxOffsets.forEach((p, max) -> {
      long from = watermark.getOrDefault(p, -1L);
      m.put(p, new Bounds(from, Math.max(from, max)));
    });
    return new InputRange(m);
  }

  /**
   * The range of consecutive runs read together: per partition from this range's start to {@code next}'s end (a
   * partition only in one of them keeps its bounds). What a run of several bounded batches reports it read.
   */
  public InputRange through(InputRange next) {
    SortedMap<Integer, Bounds> m = new TreeMap<>(partitions);
    next.partitions.forEach((p, b) -> m.merge(p, b, (first, last) -> new Bounds(first.fromExclusive(),
        Math.max(first.toInclusive(), last.toInclusive()))));
    return new InputRange(m);
  }

  /** No partition has new rows. */
  public boolean isEmpty() {
    return partitions.values().stream().allMatch(Bounds::isEmpty);
  }

  /**
   * SQL predicate selecting exactly the rows of this range, e.g.
   * {@code ((kafka_partition = 0 AND kafka_offset > -1 AND kafka_offset <= 41))}; {@code FALSE} when empty.
   */
  public String predicate() {
    return predicate(null);
  }

  /** {@link #predicate()} with the columns qualified by {@code alias} (none when null). */
  public String predicate(String alias) {
    String q = alias == null ? "" : alias + ".";
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<Integer, Bounds> e : partitions.entrySet()) {
      Bounds b = e.getValue();
      if (b.isEmpty()) {
        continue;
      }
      sb.append(sb.length() == 0 ? "(" : "\n    OR ");
      sb.append('(').append(q).append("kafka_partition = ").append(e.getKey())
          .append(" AND ").append(q).append("kafka_offset > ").append(b.fromExclusive());
      if (b.toInclusive() != Long.MAX_VALUE) {
        sb.append(" AND ").append(q).append("kafka_offset <= ").append(b.toInclusive());
      }
      sb.append(')');
    }
    return sb.length() == 0 ? "FALSE" : sb.append(')').toString();
  }

  /**
   * The rows of {@code table} newer than {@code watermark}, as a relation of {@code columns}: above the watermark in
   * its partitions, and every row of the partitions it does not know (a topic may gain partitions). Used to find the
   * upper end of the next run and how far a model is behind.
   *
   * <p>Two branches of a {@code UNION ALL}, not one {@code WHERE} with an {@code OR}: Trino turns a predicate into a
   * bound on each column alone before it picks the files to read, and the OR of the two has no bound on
   * {@code kafka_offset} (a new partition starts at offset 0), so it would read the offsets of every file of the
   * table, a cost that grows with the table's history. Each branch alone prunes: the first by offset, the second by
   * partition.
   */
  public static String newRows(Map<Integer, Long> watermark, String columns, String table) {
    String select = "SELECT " + columns + " FROM " + table;
    if (watermark.isEmpty()) {
      return select;
    }
    SortedMap<Integer, Long> sorted = new TreeMap<>(watermark);
    StringBuilder known = new StringBuilder();
    sorted.forEach((p, w) -> known.append(known.length() == 0 ? "(" : "\n    OR ")
        .append("(kafka_partition = ").append(p).append(" AND kafka_offset > ").append(w).append(')'));
    return select + " WHERE " + known.append(')') + "\nUNION ALL\n"
        + select + " WHERE kafka_partition NOT IN ("
        + String.join(", ", sorted.keySet().stream().map(String::valueOf).toList()) + ")";
  }

  /** {@code {"0":[-1,41]}} */
  public String toJson() {
    Map<String, List<Long>> m = new LinkedHashMap<>();
    partitions.forEach((p, b) -> m.put(String.valueOf(p), List.of(b.fromExclusive(), b.toInclusive())));
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static InputRange fromJson(String json) {
    if (json == null || json.isBlank()) {
      return empty();
    }
    try {
      Map<String, List<Long>> m = JSON.readValue(json, new TypeReference<Map<String, List<Long>>>() {});
      SortedMap<Integer, Bounds> out = new TreeMap<>();
      m.forEach((p, b) -> out.put(Integer.parseInt(p), new Bounds(b.get(0), b.get(1))));
      return new InputRange(out);
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalArgumentException("bad input_ranges JSON: " + json, e);
    }
  }
}
