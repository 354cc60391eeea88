package dev.lakehouse.activities.trino;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.spec.ColumnSpec;
import dev.lakehouse.spec.ColumnType;
import dev.lakehouse.spec.HubSpec;
import dev.lakehouse.spec.LinkSpec;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SatelliteSpec;
import dev.lakehouse.spec.TableSpec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The expected parsed, rejected and Data Vault tables, computed in plain Java from the list of raw change events,
 * independently of the SQL (docs/architecture.md, incremental materialization and Data Vault). Every value is the
 * text Trino prints for {@code CAST(x AS varchar)};
 * timestamps are microseconds since the epoch. Tests compare Trino's tables with this, row for row.
 *
 * <p>Public and shipped in the activities test-jar: the reliability suite feeds it the changes its workload
 * committed to PostgreSQL.
 */
public final class Oracle {
  private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final DateTimeFormatter TIMESTAMP_TEXT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
  private static final Pattern DECIMAL_TEXT = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");

  /**
   * The parsed tables' metadata columns, in order, and the hashing's NULL token and separator
   * (docs/architecture.md#data-vault): written out here rather than taken from the models' code (ParsedSql,
   * VaultHash), so that a mistake there makes the comparison fail instead of being copied into it.
   */
  public static final List<String> META_COLUMNS = List.of(
      "op", "is_deleted", "source_lsn", "source_tx_id", "effective_from", "kafka_partition", "kafka_offset", "load_ts");
  static final String NULL_TOKEN = "^^";
  static final String SEPARATOR = "||";

  private final PipelineSpec spec;

  public Oracle(PipelineSpec spec) {
    this.spec = spec;
  }

  /** A parsed row: column name to canonical text (null for SQL NULL), plus where it came from. */
  record Parsed(Map<String, String> values, long lsn, int partition, long offset) {
    String get(String column) {
      return values.get(column);
    }
  }

  /** Every table the models write, by {@code schema.table}, rows as lists of canonical text. */
  public Map<String, List<List<String>>> tables(List<RawEvent> events) {
    Map<String, List<List<String>>> out = new LinkedHashMap<>();
    Map<String, List<Parsed>> parsedByTable = new HashMap<>();
    for (TableSpec t : spec.tables()) {
      List<List<String>> rejects = new ArrayList<>();
      List<Parsed> parsed = parse(t, events.stream().filter(e -> e.table().equals(t.name())).toList(), rejects);
      parsedByTable.put(t.name(), parsed);
      List<String> cols = new ArrayList<>(t.columnNames());
      cols.addAll(META_COLUMNS);
      out.put("parsed_data." + PipelineSpec.parsedTableName(t.name()),
          parsed.stream().map(p -> cols.stream().map(p::get).toList()).toList());
      out.put("parsed_data." + PipelineSpec.rejectedTableName(t.name()), rejects);
    }
    for (HubSpec h : spec.hubs()) {
      out.put("data_vault." + h.name(), hub(h, parsedByTable.get(h.table())));
    }
    for (LinkSpec l : spec.links()) {
      out.put("data_vault." + l.name(), link(l, parsedByTable.get(l.table())));
    }
    for (SatelliteSpec s : spec.satellites()) {
      out.put("data_vault." + s.name(), satellite(s, parsedByTable.get(s.table())));
    }
    return out;
  }

  // ------------------------------------------------------------------------------------ parse

  List<Parsed> parse(TableSpec t, List<RawEvent> events, List<List<String>> rejects) {
    List<RawEvent> arrival = new ArrayList<>(events);
    arrival.sort(Comparator.comparingInt(RawEvent::partition).thenComparingLong(RawEvent::offset));
    List<Parsed> out = new ArrayList<>();
    Set<List<String>> seen = new HashSet<>();
    for (RawEvent e : arrival) {
      Map<String, String> typed = new LinkedHashMap<>();
      String reason = check(t, e, typed);
      if (reason != null) {
        rejects.add(java.util.Arrays.asList(reason, e.data(), e.op(), str(orderingLsnOrNull(e)), String.valueOf(e.partition()),
            String.valueOf(e.offset()), micros(e.ingestedAt().minusMillis(3)), micros(e.ingestedAt())));
        continue;
      }
      long lsn = orderingLsnOrNull(e); // not null: checked above
      List<String> key = new ArrayList<>();
      t.primaryKey().forEach(k -> key.add(typed.get(k)));
      key.add(String.valueOf(lsn));
      key.add(e.op());
      if (!seen.add(key)) {
        continue; // a re-delivered event: the first copy wins
      }
      Map<String, String> v = new LinkedHashMap<>(typed);
      v.put("op", e.op());
      v.put("is_deleted", String.valueOf(e.op().equals("d")));
      v.put("source_lsn", String.valueOf(lsn));
      v.put("source_tx_id", str(e.txId()));
      v.put("effective_from", e.tsMs() == null ? null : String.valueOf(e.tsMs() * 1000));
      v.put("kafka_partition", String.valueOf(e.partition()));
      v.put("kafka_offset", String.valueOf(e.offset()));
      v.put("load_ts", micros(e.ingestedAt()));
      out.add(new Parsed(v, lsn, e.partition(), e.offset()));
    }
    return out;
  }

  /** A snapshot read without an LSN (Debezium's incremental snapshot) orders as LSN 0 (docs/models.md). */
  static Long orderingLsnOrNull(RawEvent e) {
    return e.lsn() == null && "r".equals(e.op()) ? Long.valueOf(0) : e.lsn();
  }

  /** The reject reason, in the SQL's order, or null with {@code typed} filled. */
  static String check(TableSpec t, RawEvent e, Map<String, String> typed) {
    if (e.data() == null) {
      return "empty message";
    }
    if (e.op() == null) {
      return "not a Debezium change event (no op)";
    }
    if (!List.of("c", "r", "u", "d").contains(e.op())) {
      return "unknown op: " + e.op();
    }
    JsonNode json;
    try {
      json = RawEvent.JSON.readTree(e.data());
    } catch (Exception bad) {
      return "malformed JSON";
    }
    if (json == null || json.isMissingNode()) {
      return "malformed JSON";
    }
    if (orderingLsnOrNull(e) == null) {
      return "missing source LSN";
    }
    Map<String, String> raw = new HashMap<>();
    for (ColumnSpec c : t.columns()) {
      JsonNode v = json.isObject() ? json.get(c.name()) : null;
      raw.put(c.name(), v == null || v.isNull() || v.isContainerNode() ? null : v.asText());
      typed.put(c.name(), cast(c, raw.get(c.name())));
    }
    for (String k : t.primaryKey()) {
      if (raw.get(k) == null) {
        return "missing key: " + k;
      }
    }
    for (ColumnSpec c : t.columns()) {
      if (raw.get(c.name()) != null && typed.get(c.name()) == null) {
        return "bad value for " + c.name() + " (" + c.type() + ")";
      }
    }
    return null;
  }

  /** Trino's {@code CAST(<typed value> AS varchar)} of a JSON scalar, or null when it does not cast. */
  static String cast(ColumnSpec c, String raw) {
    if (raw == null) {
      return null;
    }
    ColumnType type = c.type();
    switch (type.kind()) {
      case DECIMAL:
        if (!DECIMAL_TEXT.matcher(raw).matches()) {
          return null;
        }
        BigDecimal exact = new BigDecimal(raw);
        if (exact.stripTrailingZeros().scale() > type.scale()) {
          return null; // more fraction digits than the spec's scale: quarantined, never rounded
        }
        BigDecimal d = exact.setScale(type.scale(), RoundingMode.UNNECESSARY);
        return d.precision() > type.precision() ? null : d.toPlainString();
      case UUID:
        return UUID.matcher(raw).matches() ? raw.toLowerCase(Locale.ROOT) : null;
      case VARCHAR:
      case TEXT:
        return raw;
      case DATE:
        try {
          return LocalDate.ofEpochDay(Integer.parseInt(raw)).toString();
        } catch (NumberFormatException notDays) {
          try {
            return LocalDate.parse(raw).toString();
          } catch (RuntimeException notIso) {
            return null;
          }
        }
      case INTEGER:
        try {
          return String.valueOf(Integer.parseInt(raw));
        } catch (NumberFormatException e) {
          return null;
        }
      case BIGINT:
        try {
          return String.valueOf(Long.parseLong(raw));
        } catch (NumberFormatException e) {
          return null;
        }
      case BOOLEAN:
        return raw.equalsIgnoreCase("true") ? "true" : raw.equalsIgnoreCase("false") ? "false" : null;
      case TIMESTAMP:
        // Debezium sends a timestamp without time zone as microseconds since the epoch (its wall time read as
        // UTC); ISO text is accepted as well. Printed as Trino prints a timestamp(6), the text the hashdiff hashes.
        try {
          long micros = Long.parseLong(raw);
          return TIMESTAMP_TEXT.format(LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
              (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC));
        } catch (NumberFormatException notMicros) {
          try {
            return TIMESTAMP_TEXT.format(LocalDateTime.parse(raw.replace(' ', 'T')));
          } catch (RuntimeException notIso) {
            return null;
          }
        }
      default:
        throw new UnsupportedOperationException("oracle does not model type " + type);
    }
  }

  // ------------------------------------------------------------------------------------ vault

  List<List<String>> hub(HubSpec h, List<Parsed> rows) {
    return firstSightings(rows, p -> hashKey(h.businessKey().stream().map(p::get).toList()), p -> {
      List<String> r = new ArrayList<>();
      r.add(hashKey(h.businessKey().stream().map(p::get).toList()));
      h.businessKey().forEach(k -> r.add(p.get(k)));
      r.add(p.get("load_ts"));
      r.add(spec.source().topic(h.table()));
      return r;
    });
  }

  List<List<String>> link(LinkSpec l, List<Parsed> rows) {
    List<String> cols = l.references().stream().map(r -> r.column().substring(r.column().indexOf('.') + 1)).toList();
    return firstSightings(rows, p -> hashKey(cols.stream().map(p::get).toList()), p -> {
      List<String> r = new ArrayList<>();
      r.add(hashKey(cols.stream().map(p::get).toList()));
      cols.forEach(c -> r.add(hashKey(java.util.Collections.singletonList(p.get(c)))));
      r.add(p.get("load_ts"));
      r.add(spec.source().topic(l.table()));
      return r;
    });
  }

  private static List<List<String>> firstSightings(List<Parsed> rows, java.util.function.Function<Parsed, String> key,
      java.util.function.Function<Parsed, List<String>> toRow) {
    Map<String, Parsed> first = new LinkedHashMap<>();
    Comparator<Parsed> order = Comparator.comparingLong(Parsed::lsn).thenComparingInt(Parsed::partition)
        .thenComparingLong(Parsed::offset);
    for (Parsed p : rows) {
      if (p.lsn() == 0 && rows.stream().anyMatch(q -> q.lsn() > 0 && key.apply(q).equals(key.apply(p))
          && q.partition() == p.partition() && q.offset() < p.offset())) {
        continue; // a snapshot read after a streamed change of its key restates it
      }
      first.merge(key.apply(p), p, (a, b) -> order.compare(a, b) <= 0 ? a : b);
    }
    return first.values().stream().map(toRow).toList();
  }

  List<List<String>> satellite(SatelliteSpec s, List<Parsed> rows) {
    HubSpec hub = spec.hub(s.parent()).orElseThrow();
    Map<String, List<Parsed>> byKey = new LinkedHashMap<>();
    for (Parsed p : rows) {
      byKey.computeIfAbsent(hashKey(hub.businessKey().stream().map(p::get).toList()), k -> new ArrayList<>()).add(p);
    }
    List<List<String>> out = new ArrayList<>();
    byKey.forEach((hk, history) -> {
      history.sort(Comparator.comparingLong(Parsed::lsn).thenComparingInt(Parsed::partition)
          .thenComparingLong(Parsed::offset));
      String previous = null;
      Long previousLsn = null;
      for (Parsed p : history) {
        if (previousLsn != null && previousLsn == p.lsn()) {
          continue; // one row per key and LSN
        }
        if (p.lsn() == 0 && history.stream().anyMatch(q -> q.lsn() > 0 && q.partition() == p.partition()
            && q.offset() < p.offset())) {
          continue; // a snapshot read after a streamed change of its key restates that change
        }
        previousLsn = p.lsn();
        List<String> diffParts = new ArrayList<>();
        s.columns().forEach(c -> diffParts.add(p.get(c)));
        diffParts.add(p.get("is_deleted"));
        String hashdiff = hashDiff(diffParts);
        if (!hashdiff.equals(previous)) {
          List<String> r = new ArrayList<>();
          r.add(hk);
          r.add(hashdiff);
          s.columns().forEach(c -> r.add(p.get(c)));
          for (String m : List.of("is_deleted", "effective_from", "source_lsn", "load_ts")) {
            r.add(p.get(m));
          }
          r.add(spec.source().topic(s.table()));
          out.add(r);
        }
        previous = hashdiff;
      }
    });
    return out;
  }

  // ------------------------------------------------------------------- hashing (docs/architecture.md#data-vault)

  public static String hashKey(List<String> parts) {
    return md5(parts.stream().map(v -> normalize(v, true)).toList());
  }

  /**
   * {@code parts}: the payload in order, then the deleted flag. The payload's trailing NULL parts are left out (a
   * column appended to a satellite changes no stored hashdiff while it is NULL); one part always stays.
   */
  public static String hashDiff(List<String> parts) {
    List<String> normalized = new ArrayList<>(parts.stream().map(v -> normalize(v, false)).toList());
    String deleted = normalized.remove(normalized.size() - 1);
    while (normalized.size() > 1 && normalized.get(normalized.size() - 1).equals(NULL_TOKEN)) {
      normalized.remove(normalized.size() - 1);
    }
    normalized.add(deleted);
    return md5(normalized);
  }

  private static String normalize(String v, boolean upper) {
    if (v == null) {
      return NULL_TOKEN;
    }
    String t = v.strip();
    if (upper) {
      t = t.toUpperCase(Locale.ROOT);
    }
    return t.isEmpty() ? NULL_TOKEN : t;
  }

  static String md5(List<String> parts) {
    try {
      byte[] d = MessageDigest.getInstance("MD5").digest(String.join(SEPARATOR, parts)
          .getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder();
      for (byte b : d) {
        sb.append(String.format("%02x", b));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String micros(Instant t) {
    return t == null ? null : String.valueOf(t.getEpochSecond() * 1_000_000 + t.getNano() / 1000);
  }

  private static String str(Long v) {
    return v == null ? null : v.toString();
  }
}
