package dev.lakehouse.spec;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the resolved {@code lakehouse} object into a {@link PipelineSpec}, collecting every problem (each
 * with its HOCON path); every read returns a usable default after recording a problem, so one pass finds
 * them all and {@link #read()} throws one {@link SpecException} listing them.
 */
final class SpecReader {
  static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");
  static final Pattern CONNECTOR_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
  static final Pattern DATA_SIZE = Pattern.compile("\\d+(B|kB|MB|GB|TB)");
  static final int DEFAULT_FLINK_RPC_PORT = 6123;

  private final Config root;
  private final String origin;
  private final List<String> problems = new ArrayList<>();

  SpecReader(Config root, String origin) {
    this.root = root;
    this.origin = origin;
  }

  PipelineSpec read() {
    Endpoints endpoints = endpoints();
    SourceSpec source = source();
    List<TableSpec> tables = tables();
    Map<String, TableSpec> byName = new HashMap<>();
    tables.forEach(t -> byName.put(t.name(), t));
    List<HubSpec> hubs = hubs(byName);
    Map<String, HubSpec> hubsByName = new HashMap<>();
    hubs.forEach(h -> hubsByName.put(h.name(), h));
    List<LinkSpec> links = links(byName, hubsByName);
    List<SatelliteSpec> satellites = satellites(byName, hubsByName);
    checkModels(hubs, links, satellites);
    Schedules schedules = schedules();
    WorkerSpec worker = worker();
    if (!problems.isEmpty()) {
      throw new SpecException(origin, problems);
    }
    return new PipelineSpec(endpoints, source, tables, hubs, links, satellites, schedules, worker);
  }

  // ---------------------------------------------------------------- endpoints

  private Endpoints endpoints() {
    String p = "endpoints";
    String host = string(p + ".host");
    int kafka = port(p + ".kafka.port");
    int temporal = port(p + ".temporal.port");
    return new Endpoints(
        host,
        new Endpoints.Postgres(host(p, "postgres", host), port(p + ".postgres.port"),
            identifier(p + ".postgres.database"), string(p + ".postgres.user"), string(p + ".postgres.password")),
        new Endpoints.Kafka(host(p, "kafka", host), kafka, optionalPort(p + ".kafka.controller-port", kafka + 1)),
        new Endpoints.Connect(host(p, "connect", host), port(p + ".connect.port")),
        new Endpoints.Flink(host(p, "flink", host), port(p + ".flink.port"),
            optionalString(p + ".flink.sql-gateway-host", host(p, "flink", host)),
            port(p + ".flink.sql-gateway-port"), optionalPort(p + ".flink.rpc-port", DEFAULT_FLINK_RPC_PORT)),
        new Endpoints.IcebergRest(host(p, "iceberg-rest", host), port(p + ".iceberg-rest.port")),
        new Endpoints.S3(host(p, "s3", host), port(p + ".s3.port"), string(p + ".s3.bucket"),
            string(p + ".s3.access-key"), string(p + ".s3.secret-key"), string(p + ".s3.region")),
        new Endpoints.Trino(host(p, "trino", host), port(p + ".trino.port"), string(p + ".trino.user")),
        new Endpoints.Temporal(host(p, "temporal", host), temporal, port(p + ".temporal.ui-port"),
            optionalPort(p + ".temporal.http-port", temporal + 10),
            optionalPort(p + ".temporal.metrics-port", temporal + 11),
            string(p + ".temporal.namespace"), string(p + ".temporal.task-queue")));
  }

  /** A service's own host (Docker service names), else the shared one. */
  private String host(String prefix, String service, String fallback) {
    return optionalString(prefix + "." + service + ".host", fallback);
  }

  private String optionalString(String path, String fallback) {
    return root.hasPath(path) ? string(path) : fallback;
  }

  // ---------------------------------------------------------------- source

  private SourceSpec source() {
    if (root.hasPath("source.database")) {
      // the database was named twice; a file written before that would otherwise be read half-silently
      problem("source.database", "no longer read: the source database is lakehouse.endpoints.postgres.database"
          + " (environment LAKEHOUSE_SOURCE_DATABASE); remove this key");
    }
    String connector = string("source.connector");
    if (!connector.isEmpty() && !CONNECTOR_NAME.matcher(connector).matches()) {
      problem("source.connector", "'" + connector + "' is not a valid connector name ([A-Za-z0-9][A-Za-z0-9_.-]*)");
    }
    return new SourceSpec(connector, identifier("source.schema"), identifier("source.topic-prefix"),
        identifier("source.publication"), identifier("source.slot"));
  }

  // ---------------------------------------------------------------- tables

  private List<TableSpec> tables() {
    List<TableSpec> tables = new ArrayList<>();
    for (String name : keys("tables")) {
      String p = "tables." + name;
      checkIdentifier(p, name);
      List<ColumnSpec> columns = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      List<? extends ConfigObject> columnObjects = objectList(p + ".columns");
      if (columnObjects.isEmpty() && root.hasPath(p + ".columns")) {
        problem(p + ".columns", "a table needs at least one column");
      }
      for (int i = 0; i < columnObjects.size(); i++) {
        String cp = p + ".columns[" + i + "]";
        Config c = columnObjects.get(i).toConfig();
        String column = subString(c, cp, "name");
        String typeText = subString(c, cp, "type");
        checkIdentifier(cp + ".name", column);
        Optional<ColumnType> type = ColumnType.parse(typeText);
        if (!typeText.isEmpty() && type.isEmpty()) {
          problem(cp + ".type", "unknown column type '" + typeText + "' (" + ColumnType.FORMS + ")");
        }
        if (!seen.add(column)) {
          problem(cp + ".name", "duplicate column '" + column + "'");
        }
        // after a problem any type will do: the spec is rejected with every problem listed
        columns.add(new ColumnSpec(column, type.orElse(ColumnType.of(ColumnType.Kind.VARCHAR))));
      }
      List<String> pk = List.of();
      if (!root.hasPath(p + ".primary-key")) {
        problem(p + ".primary-key", "missing primary key");
      } else {
        pk = stringList(p + ".primary-key");
        if (pk.isEmpty()) {
          problem(p + ".primary-key", "missing primary key (empty list)");
        }
        for (String k : pk) {
          if (!seen.contains(k)) {
            problem(p + ".primary-key", "unknown column '" + k + "' in primary key of table '" + name + "'");
          }
        }
      }
      tables.add(new TableSpec(name, pk, columns));
    }
    if (tables.isEmpty()) {
      problem("tables", "at least one source table is required");
    }
    return tables;
  }

  // ---------------------------------------------------------------- vault models

  /** Parses {@code table.column}, checks both exist; returns [table, column] or null. */
  private String[] tableColumn(String path, String ref, Map<String, TableSpec> tables) {
    int dot = ref.indexOf('.');
    if (dot <= 0 || dot == ref.length() - 1 || ref.indexOf('.', dot + 1) >= 0) {
      problem(path, "'" + ref + "' is not of the form table.column");
      return null;
    }
    String table = ref.substring(0, dot);
    String column = ref.substring(dot + 1);
    TableSpec t = tables.get(table);
    if (t == null) {
      problem(path, "unknown table '" + table + "'" + known(tables.keySet()));
      return null;
    }
    if (t.column(column).isEmpty()) {
      problem(path, "unknown column '" + column + "' in table '" + table + "'" + known(t.columnNames()));
      return null;
    }
    return new String[] {table, column};
  }

  private List<HubSpec> hubs(Map<String, TableSpec> tables) {
    List<HubSpec> hubs = new ArrayList<>();
    for (String name : keys("hubs")) {
      String p = "hubs." + name;
      checkIdentifier(p, name);
      List<String> refs = stringList(p + ".business-key");
      if (refs.isEmpty()) {
        problem(p + ".business-key", "a hub needs a business key (e.g. [\"users.id\"])");
      }
      String table = null;
      List<String> columns = new ArrayList<>();
      for (int i = 0; i < refs.size(); i++) {
        String[] tc = tableColumn(p + ".business-key[" + i + "]", refs.get(i), tables);
        if (tc == null) {
          continue;
        }
        if (table != null && !table.equals(tc[0])) {
          problem(p + ".business-key[" + i + "]", "all business key columns must come from one table ('"
              + table + "'), got '" + tc[0] + "'");
          continue;
        }
        table = tc[0];
        columns.add(tc[1]);
      }
      hubs.add(new HubSpec(name, table == null ? "" : table, columns, stringListOrEmpty(p + ".depends-on")));
    }
    return hubs;
  }

  private List<LinkSpec> links(Map<String, TableSpec> tables, Map<String, HubSpec> hubs) {
    List<LinkSpec> links = new ArrayList<>();
    for (String name : keys("links")) {
      String p = "links." + name;
      checkIdentifier(p, name);
      List<? extends ConfigObject> refObjects = objectList(p + ".references");
      if (refObjects.size() < 2) {
        problem(p + ".references", "a link needs at least two references, got " + refObjects.size());
      }
      String table = null;
      List<LinkSpec.Reference> references = new ArrayList<>();
      for (int i = 0; i < refObjects.size(); i++) {
        String rp = p + ".references[" + i + "]";
        Config c = refObjects.get(i).toConfig();
        String columnRef = subString(c, rp, "column");
        String hub = subString(c, rp, "hub");
        if (!hub.isEmpty() && !hubs.containsKey(hub)) {
          problem(rp + ".hub", "link to an unknown hub '" + hub + "'" + known(hubs.keySet()));
        }
        if (columnRef.isEmpty()) {
          continue;
        }
        String[] tc = tableColumn(rp + ".column", columnRef, tables);
        if (tc == null) {
          continue;
        }
        if (table != null && !table.equals(tc[0])) {
          problem(rp + ".column", "all link columns must come from one table ('" + table + "'), got '" + tc[0] + "'");
          continue;
        }
        table = tc[0];
        references.add(new LinkSpec.Reference(tc[1], hub));
      }
      links.add(new LinkSpec(name, table == null ? "" : table, references, stringListOrEmpty(p + ".depends-on")));
    }
    return links;
  }

  private List<SatelliteSpec> satellites(Map<String, TableSpec> tables, Map<String, HubSpec> hubs) {
    List<SatelliteSpec> satellites = new ArrayList<>();
    for (String name : keys("satellites")) {
      String p = "satellites." + name;
      checkIdentifier(p, name);
      String parent = string(p + ".parent");
      HubSpec hub = hubs.get(parent);
      if (!parent.isEmpty() && hub == null) {
        problem(p + ".parent", "unknown hub '" + parent + "'" + known(hubs.keySet()));
      }
      List<String> columns = stringList(p + ".columns");
      if (columns.isEmpty() && root.hasPath(p + ".columns")) {
        problem(p + ".columns", "a satellite needs at least one column");
      }
      TableSpec table = hub == null ? null : tables.get(hub.table());
      for (int i = 0; i < columns.size(); i++) {
        String column = columns.get(i);
        checkIdentifier(p + ".columns[" + i + "]", column);
        if (table != null && table.column(column).isEmpty()) {
          problem(p + ".columns[" + i + "]", "unknown column '" + column + "' in table '" + table.name() + "'"
              + known(table.columnNames()));
        }
      }
      satellites.add(new SatelliteSpec(name, parent, hub == null ? "" : hub.table(), columns,
          stringListOrEmpty(p + ".depends-on")));
    }
    return satellites;
  }

  /** Unique model names, known depends-on targets, no cycle through depends-on. */
  private void checkModels(List<HubSpec> hubs, List<LinkSpec> links, List<SatelliteSpec> satellites) {
    Map<String, String> pathOf = new HashMap<>();
    Map<String, List<String>> dependsOn = new HashMap<>();
    for (HubSpec h : hubs) {
      register(pathOf, dependsOn, "hubs." + h.name(), h.name(), h.dependsOn());
    }
    for (LinkSpec l : links) {
      register(pathOf, dependsOn, "links." + l.name(), l.name(), l.dependsOn());
    }
    for (SatelliteSpec s : satellites) {
      register(pathOf, dependsOn, "satellites." + s.name(), s.name(), s.dependsOn());
    }
    for (Map.Entry<String, List<String>> e : dependsOn.entrySet()) {
      for (String d : e.getValue()) {
        if (!dependsOn.containsKey(d)) {
          problem(pathOf.get(e.getKey()) + ".depends-on", "unknown model '" + d + "'" + known(dependsOn.keySet()));
        }
      }
    }
    // cycle detection (DFS, deterministic order)
    Map<String, Integer> state = new HashMap<>();
    List<String> names = dependsOn.keySet().stream().sorted().toList();
    for (String n : names) {
      List<String> cycle = findCycle(n, dependsOn, state, new ArrayList<>());
      if (cycle != null) {
        problem(pathOf.get(cycle.get(0)) + ".depends-on", "cycle: " + String.join(" -> ", cycle));
        return;
      }
    }
  }

  private void register(Map<String, String> pathOf, Map<String, List<String>> dependsOn, String path, String name,
      List<String> deps) {
    if (pathOf.containsKey(name)) {
      problem(path, "model name '" + name + "' is also used by " + pathOf.get(name));
      return;
    }
    pathOf.put(name, path);
    dependsOn.put(name, deps);
    for (int i = 0; i < deps.size(); i++) {
      checkIdentifier(path + ".depends-on[" + i + "]", deps.get(i));
    }
  }

  private static List<String> findCycle(String node, Map<String, List<String>> edges, Map<String, Integer> state,
      List<String> stack) {
    Integer s = state.get(node);
    if (s != null && s == 2) {
      return null;
    }
    if (s != null && s == 1) {
      List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(node), stack.size()));
      cycle.add(node);
      return cycle;
    }
    state.put(node, 1);
    stack.add(node);
    for (String next : edges.getOrDefault(node, List.of())) {
      if (edges.containsKey(next)) {
        List<String> c = findCycle(next, edges, state, stack);
        if (c != null) {
          return c;
        }
      }
    }
    stack.remove(stack.size() - 1);
    state.put(node, 2);
    return null;
  }

  // ---------------------------------------------------------------- schedules

  private Schedules schedules() {
    String p = "schedules";
    String m = p + ".maintenance";
    return new Schedules(
        duration(p + ".sensor-interval"),
        positiveInt(p + ".sensor-iterations-per-run"),
        positiveInt(p + ".materializer-runs-per-execution"),
        positiveInt(p + ".materializer-signals-per-execution"),
        materializerRetry(p + ".materializer-retry"),
        duration(p + ".flink-checkpoint-interval"),
        cron(p + ".health-cron"),
        new Schedules.Maintenance(maintenance(m + ".vault"), maintenance(m + ".raw-parsed"),
            cron(m + ".drop-extended-stats-cron")));
  }

  private Schedules.MaterializerRetry materializerRetry(String p) {
    int retries = get(p + ".retries", root::getInt, 0);
    if (retries < 0) {
      problem(p + ".retries", "must not be negative, got " + retries);
    }
    Duration initial = duration(p + ".initial-backoff");
    Duration max = duration(p + ".max-backoff");
    if (max.compareTo(initial) < 0) {
      problem(p + ".max-backoff", "must not be shorter than initial-backoff (" + initial + "), got " + max);
    }
    return new Schedules.MaterializerRetry(retries, initial, max);
  }

  private Schedules.MaintenanceSpec maintenance(String p) {
    String size = string(p + ".optimize-file-size-threshold");
    if (!size.isEmpty() && !DATA_SIZE.matcher(size).matches()) {
      problem(p + ".optimize-file-size-threshold", "'" + size + "' is not a data size like 128MB");
    }
    return new Schedules.MaintenanceSpec(cron(p + ".cron"), size, duration(p + ".expire-snapshots-older-than"),
        duration(p + ".remove-orphan-files-older-than"));
  }

  // ---------------------------------------------------------------- worker

  private WorkerSpec worker() {
    String p = "worker";
    if (!root.hasPath(p)) {
      problem(p, "missing (the worker's settings: automation, connect-timeout-seconds, shutdown-timeout-seconds;"
          + " copy the block of the repository's lakehouse.conf)");
      return new WorkerSpec(false, Duration.ofSeconds(30), Duration.ofSeconds(30));
    }
    boolean automation = onOff(p + ".automation");
    int connect = get(p + ".connect-timeout-seconds", root::getInt, 30);
    if (connect < 1) {
      problem(p + ".connect-timeout-seconds", "must be positive, got " + connect);
    }
    int shutdown = get(p + ".shutdown-timeout-seconds", root::getInt, 30);
    if (shutdown < 0) {
      problem(p + ".shutdown-timeout-seconds", "must not be negative, got " + shutdown);
    }
    return new WorkerSpec(automation, Duration.ofSeconds(connect), Duration.ofSeconds(shutdown));
  }

  /** on/off as an environment variable gives it: on, off, true, false, yes, no, 1, 0. */
  private boolean onOff(String path) {
    String v = string(path).trim().toLowerCase(java.util.Locale.ROOT);
    return switch (v) {
      case "on", "true", "yes", "1" -> true;
      case "off", "false", "no", "0", "" -> false;
      default -> {
        problem(path, "'" + v + "' is neither on nor off");
        yield false;
      }
    };
  }

  // ---------------------------------------------------------------- primitives

  private void problem(String path, String message) {
    problems.add("lakehouse." + path + ": " + message);
  }

  private static String known(java.util.Collection<String> names) {
    return names.isEmpty() ? "" : " (known: " + String.join(", ", names.stream().sorted().toList()) + ")";
  }

  private <T> T get(String path, Function<String, T> getter, T fallback) {
    try {
      return getter.apply(path);
    } catch (ConfigException.Missing e) {
      problem(path, "missing");
    } catch (ConfigException.WrongType e) {
      // "<origin>: <path> has type STRING rather than NUMBER": the value says more than the path again
      String m = e.getMessage();
      int at = m.indexOf(" has type ");
      problem(path, at < 0 ? m : "'" + root.getValue(path).unwrapped() + "'" + m.substring(at));
    } catch (ConfigException e) {
      problem(path, e.getMessage().replaceFirst("^.*?: ", ""));
    }
    return fallback;
  }

  private String string(String path) {
    return get(path, root::getString, "");
  }

  private String identifier(String path) {
    String v = string(path);
    checkIdentifier(path, v);
    return v;
  }

  private void checkIdentifier(String path, String value) {
    if (value != null && !value.isEmpty() && !IDENTIFIER.matcher(value).matches()) {
      problem(path, "unsafe identifier '" + value + "' (allowed: [a-z_][a-z0-9_]*)");
    }
  }

  private String subString(Config c, String path, String key) {
    try {
      return c.getString(key);
    } catch (ConfigException.Missing e) {
      problem(path + "." + key, "missing");
    } catch (ConfigException e) {
      problem(path + "." + key, e.getMessage().replaceFirst("^.*?: ", ""));
    }
    return "";
  }

  private int port(String path) {
    int known = problems.size();
    int port = get(path, root::getInt, 0);
    if (problems.size() == known && (port < 1 || port > 65535)) {
      problem(path, "port " + port + " is outside 1-65535");
    }
    return port;
  }

  private int optionalPort(String path, int fallback) {
    return root.hasPath(path) ? port(path) : fallback;
  }

  private int positiveInt(String path) {
    int v = get(path, root::getInt, 1);
    if (v < 1) {
      problem(path, "must be positive, got " + v);
    }
    return v;
  }

  private Duration duration(String path) {
    Duration d = get(path, root::getDuration, Duration.ofSeconds(1));
    if (d.isNegative() || d.isZero()) {
      problem(path, "must be positive, got " + d);
    }
    return d;
  }

  private String cron(String path) {
    String c = string(path);
    if (root.hasPath(path)) {
      for (String problem : CronExpression.problems(c)) {
        problem(path, "bad cron '" + c + "': " + problem);
      }
    }
    return c;
  }

  private List<String> stringList(String path) {
    return get(path, root::getStringList, List.of());
  }

  private List<String> stringListOrEmpty(String path) {
    return root.hasPath(path) ? stringList(path) : List.of();
  }

  private List<? extends ConfigObject> objectList(String path) {
    return get(path, root::getObjectList, List.of());
  }

  /** Keys of an object, sorted (HOCON objects are unordered). */
  private List<String> keys(String path) {
    if (!root.hasPath(path)) {
      problem(path, "missing");
      return List.of();
    }
    if (root.getValue(path).valueType() != ConfigValueType.OBJECT) {
      problem(path, "must be an object keyed by name");
      return List.of();
    }
    Set<String> keys = new LinkedHashSet<>(root.getObject(path).keySet());
    // a name that is no identifier is reported here and goes no further: it would not even make a valid
    // config path (a quote in it breaks path parsing), let alone SQL
    List<String> safe = new ArrayList<>();
    for (String k : keys) {
      if (IDENTIFIER.matcher(k).matches()) {
        safe.add(k);
      } else {
        checkIdentifier(path + "." + k, k);
      }
    }
    return safe.stream().sorted(Comparator.naturalOrder()).toList();
  }
}
