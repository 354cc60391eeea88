package dev.lakehouse.workflows.assets;

import dev.lakehouse.spec.CheckKind;
import dev.lakehouse.spec.CheckSpec;
import dev.lakehouse.spec.HubSpec;
import dev.lakehouse.spec.LinkSpec;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SatelliteSpec;
import dev.lakehouse.spec.TableSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The asset graph: immutable, assets in topological order (ties broken by key). */
public final class AssetGraph {
  public static final String FLINK_INGEST = "flink:ingest";

  private final Map<String, Asset> assets; // topological order
  private final Map<String, List<String>> downstream;
  /** model -> the models its checks read (relationships), for {@link MaterializePlan.Step#checkAfter} */
  private final Map<String, List<String>> checkReads;
  /** models with a schedule of their own: an eager term does not descend into them */
  private final Set<String> scheduled;

  /** Checks keys, upstream references and acyclicity; {@link #fromSpec} is how the lakehouse builds one. */
  AssetGraph(Collection<Asset> unordered) {
    this(unordered, Map.of(), Set.of());
  }

  private AssetGraph(Collection<Asset> unordered, Map<String, List<String>> checkReads, Set<String> scheduled) {
    this.checkReads = Map.copyOf(checkReads);
    this.scheduled = Set.copyOf(scheduled);
    Map<String, Asset> byKey = new HashMap<>();
    for (Asset a : unordered) {
      if (byKey.put(a.key(), a) != null) {
        throw new IllegalArgumentException("duplicate asset key " + a.key());
      }
    }
    Map<String, List<String>> down = new HashMap<>();
    for (Asset a : unordered) {
      for (String u : a.upstream()) {
        if (!byKey.containsKey(u)) {
          throw new IllegalArgumentException("asset " + a.key() + " has unknown upstream " + u);
        }
        down.computeIfAbsent(u, k -> new ArrayList<>()).add(a.key());
      }
    }
    // Kahn, smallest key first among the ready ones: deterministic
    Map<String, Integer> indegree = new HashMap<>();
    unordered.forEach(a -> indegree.put(a.key(), a.upstream().size()));
    TreeSet<String> ready = new TreeSet<>();
    indegree.forEach((k, d) -> {
      if (d == 0) {
        ready.add(k);
      }
    });
    LinkedHashMap<String, Asset> ordered = new LinkedHashMap<>();
    while (!ready.isEmpty()) {
      String k = ready.pollFirst();
      ordered.put(k, byKey.get(k));
      for (String d : down.getOrDefault(k, List.of())) {
        if (indegree.merge(d, -1, Integer::sum) == 0) {
          ready.add(d);
        }
      }
    }
    if (ordered.size() != byKey.size()) {
      Set<String> stuck = new TreeSet<>(byKey.keySet());
      stuck.removeAll(ordered.keySet());
      throw new IllegalArgumentException("asset graph has a cycle through " + stuck);
    }
    this.assets = java.util.Collections.unmodifiableMap(ordered);
    Map<String, List<String>> downSorted = new HashMap<>();
    down.forEach((k, v) -> downSorted.put(k, v.stream().sorted().toList()));
    this.downstream = downSorted;
  }

  /** The asset graph of the spec (docs/architecture.md#assets-and-selections). */
  public static AssetGraph fromSpec(PipelineSpec spec) {
    List<Asset> assets = new ArrayList<>();
    String connector = connectorKey(spec.sourceDatabase());
    assets.add(new Asset(connector, AssetKind.CONNECTOR, List.of()));
    List<String> topics = new ArrayList<>();
    for (TableSpec t : spec.tables()) {
      String topic = topicKey(spec.topic(t));
      topics.add(topic);
      assets.add(new Asset(topic, AssetKind.TOPIC, List.of(connector)));
    }
    assets.add(new Asset(FLINK_INGEST, AssetKind.STREAM_JOB, topics));
    for (TableSpec t : spec.tables()) {
      assets.add(new Asset(rawKey(t.name()), AssetKind.RAW_TABLE, List.of(FLINK_INGEST, topicKey(spec.topic(t)))));
      assets.add(new Asset(parsedKey(t.name()), AssetKind.MODEL, List.of(rawKey(t.name()))));
    }
    for (HubSpec h : spec.hubs()) {
      assets.add(new Asset(vaultKey(h.name()), AssetKind.MODEL, modelUpstream(h.table(), h.dependsOn())));
    }
    for (LinkSpec l : spec.links()) {
      assets.add(new Asset(vaultKey(l.name()), AssetKind.MODEL, modelUpstream(l.table(), l.dependsOn())));
    }
    for (SatelliteSpec s : spec.satellites()) {
      assets.add(new Asset(vaultKey(s.name()), AssetKind.MODEL, modelUpstream(s.table(), s.dependsOn())));
    }
    // user SQL models: their ref/source calls, resolved and cycle-free when the spec loaded, are their upstream
    spec.userModels().forEach(m -> assets.add(new Asset(m.key(), AssetKind.MODEL, m.upstream())));
    Map<String, List<String>> checkReads = new HashMap<>();
    for (Asset a : assets) {
      List<String> reads = spec.checksOf(a.key()).stream().filter(c -> c.kind() == CheckKind.RELATIONSHIPS)
          .map(CheckSpec::to).filter(to -> !to.equals(a.key())).distinct().sorted().toList();
      if (!reads.isEmpty()) {
        checkReads.put(a.key(), reads);
      }
    }
    Set<String> scheduled = spec.userModels().stream().filter(m -> m.cron().isPresent())
        .map(dev.lakehouse.spec.UserModelSpec::key).collect(Collectors.toSet());
    return new AssetGraph(assets, checkReads, scheduled);
  }

  private static List<String> modelUpstream(String table, List<String> dependsOn) {
    List<String> up = new ArrayList<>();
    up.add(parsedKey(table));
    dependsOn.forEach(d -> up.add(vaultKey(d)));
    return up;
  }

  /** The Debezium connector capturing {@code database}: {@code connector:bank}. */
  public static String connectorKey(String database) {
    return "connector:" + database;
  }

  /** A CDC topic: {@code topic:bank.public.users}. */
  public static String topicKey(String topic) {
    return "topic:" + topic;
  }

  public static String rawKey(String table) {
    return PipelineSpec.RAW_SCHEMA + "." + table;
  }

  public static String parsedKey(String table) {
    return PipelineSpec.PARSED_SCHEMA + "." + PipelineSpec.parsedTableName(table);
  }

  public static String vaultKey(String model) {
    return PipelineSpec.VAULT_SCHEMA + "." + model;
  }

  /** Every asset, in topological order. */
  public List<Asset> assets() {
    return List.copyOf(assets.values());
  }

  public List<String> keys() {
    return List.copyOf(assets.keySet());
  }

  public Optional<Asset> asset(String key) {
    return Optional.ofNullable(assets.get(key));
  }

  /** Whether {@code key} is a model with a schedule of its own ({@code config(cron=...)}). */
  public boolean scheduled(String key) {
    return scheduled.contains(key);
  }

  public List<String> downstreamOf(String key) {
    return downstream.getOrDefault(key, List.of());
  }

  public List<Asset> ofKind(AssetKind kind) {
    return assets.values().stream().filter(a -> a.kind() == kind).toList();
  }

  /** The keys a selection matches, in topological order. */
  public List<String> select(String selection) {
    return select(Selection.parse(selection));
  }

  public List<String> select(Selection selection) {
    Set<String> chosen = new LinkedHashSet<>();
    for (Selection.Term term : selection.terms()) {
      if (term.isEager()) {
        for (String k : match(term.eagerStart())) {
          chosen.add(k);
          chosen.addAll(closure(k, a -> downstreamOf(a).stream().filter(d -> !scheduled.contains(d)).toList()));
        }
        continue;
      }
      Set<String> matched = match(term);
      for (String k : matched) {
        chosen.add(k);
        if (term.ancestors()) {
          chosen.addAll(closure(k, a -> assets.get(a).upstream()));
        }
        if (term.descendants()) {
          chosen.addAll(closure(k, this::downstreamOf));
        }
      }
    }
    return assets.keySet().stream().filter(chosen::contains).toList();
  }

  /**
   * The models of a selection as a plan; null or blank selects every model. Non-model assets in the
   * selection (connector, topics, stream job, raw tables) are managed by ingestion and skipped.
   */
  public MaterializePlan plan(String selection) {
    String text = selection == null || selection.isBlank() ? Selection.ALL_MODELS : selection;
    Set<String> chosen = new LinkedHashSet<>(select(text));
    List<MaterializePlan.Step> steps = new ArrayList<>();
    for (Asset a : assets.values()) {
      if (a.kind() == AssetKind.MODEL && chosen.contains(a.key())) {
        List<String> up = nearestChosenModels(a.key(), chosen).stream().sorted().toList();
        Set<String> below = closure(a.key(), this::downstreamOf);
        List<String> checkAfter = checkReads.getOrDefault(a.key(), List.of()).stream()
            .filter(r -> chosen.contains(r) && !below.contains(r)).toList();
        steps.add(new MaterializePlan.Step(a.key(), up, checkAfter));
      }
    }
    return new MaterializePlan(text, steps);
  }

  /** Upstream chosen models of {@code key}, walking through assets that are not chosen models. */
  private Set<String> nearestChosenModels(String key, Set<String> chosen) {
    Set<String> found = new TreeSet<>();
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(assets.get(key).upstream());
    while (!todo.isEmpty()) {
      String u = todo.pop();
      if (!seen.add(u)) {
        continue;
      }
      if (chosen.contains(u) && assets.get(u).kind() == AssetKind.MODEL) {
        found.add(u);
      } else {
        todo.addAll(assets.get(u).upstream());
      }
    }
    return found;
  }

  private Set<String> match(Selection.Term term) {
    Set<String> out = new LinkedHashSet<>();
    if (term.isKind()) {
      String label = term.kindLabel();
      AssetKind kind = AssetKind.fromLabel(label).orElseThrow(() -> new SelectionException(
          "unknown kind '" + label + "' in '" + term.text() + "'; kinds: "
              + java.util.Arrays.stream(AssetKind.values()).map(AssetKind::label).collect(Collectors.joining(", "))));
      ofKind(kind).forEach(a -> out.add(a.key()));
    } else if (term.isGlob()) {
      Pattern p = term.regex();
      assets.keySet().stream().filter(k -> p.matcher(k).matches()).forEach(out::add);
    } else if (assets.containsKey(term.pattern())) {
      out.add(term.pattern());
    }
    if (out.isEmpty()) {
      throw new SelectionException(noMatch(term));
    }
    return out;
  }

  private String noMatch(Selection.Term term) {
    String needle = term.pattern().replace("*", "").replace("?", "");
    List<String> near = assets.keySet().stream()
        .filter(k -> (!needle.isEmpty() && (k.contains(needle) || needle.contains(k)))
            || distance(k, term.pattern()) <= 3
            || distance(k.substring(k.indexOf('.') + 1), term.pattern()) <= 2)
        .sorted(java.util.Comparator.comparingInt((String k) -> distance(k, term.pattern()))
            .thenComparing(java.util.Comparator.naturalOrder()))
        .toList();
    StringBuilder sb = new StringBuilder("selection '" + term.text() + "' matches no asset");
    if (!near.isEmpty()) {
      sb.append("; did you mean: ").append(String.join(", ", near));
    }
    sb.append("; valid keys: ").append(String.join(", ", assets.keySet()))
        .append(" (also globs like raw_data.*, kind:<kind>, x+, +x)");
    return sb.toString();
  }

  private Set<String> closure(String start, java.util.function.Function<String, List<String>> next) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(next.apply(start));
    while (!todo.isEmpty()) {
      String k = todo.pop();
      if (seen.add(k)) {
        todo.addAll(next.apply(k));
      }
    }
    return seen;
  }

  private static int distance(String a, String b) {
    return dev.lakehouse.spec.usermodels.Suggestions.distance(a, b);
  }

  /** Mermaid flowchart of the graph. */
  public String toMermaid() {
    StringBuilder sb = new StringBuilder("flowchart LR\n");
    Map<String, String> ids = new HashMap<>();
    int i = 0;
    for (Asset a : assets.values()) {
      String id = "a" + i++;
      ids.put(a.key(), id);
      sb.append("  ").append(id).append("[\"").append(a.key()).append("\"]\n");
    }
    for (Asset a : assets.values()) {
      for (String u : a.upstream()) {
        sb.append("  ").append(ids.get(u)).append(" --> ").append(ids.get(a.key())).append('\n');
      }
    }
    return sb.toString();
  }

  /** Graphviz dot of the graph. */
  public String toDot() {
    StringBuilder sb = new StringBuilder("digraph lakehouse {\n  rankdir=LR;\n");
    for (Asset a : assets.values()) {
      sb.append("  \"").append(a.key()).append("\" [shape=")
          .append(a.kind() == AssetKind.MODEL ? "box" : "ellipse").append("];\n");
    }
    for (Asset a : assets.values()) {
      for (String u : a.upstream()) {
        sb.append("  \"").append(u).append("\" -> \"").append(a.key()).append("\";\n");
      }
    }
    return sb.append("}\n").toString();
  }

}
