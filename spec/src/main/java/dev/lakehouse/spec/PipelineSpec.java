package dev.lakehouse.spec;

import java.util.List;
import java.util.Optional;

/**
 * The whole pipeline, validated. Lists are immutable and sorted by name (columns keep their declared
 * order, which is significant). Build it with {@link SpecLoader}.
 */
public record PipelineSpec(
    Endpoints endpoints,
    SourceSpec source,
    List<TableSpec> tables,
    List<HubSpec> hubs,
    List<LinkSpec> links,
    List<SatelliteSpec> satellites,
    Schedules schedules,
    WorkerSpec worker,
    SecuritySpec security,
    FreshnessSpec freshness,
    AlertsSpec alerts,
    List<CheckSpec> checks,
    List<UserModelSpec> userModels) {

  public static final String RAW_SCHEMA = "raw_data";
  public static final String PARSED_SCHEMA = "parsed_data";
  public static final String VAULT_SCHEMA = "data_vault";

  public PipelineSpec {
    tables = List.copyOf(tables);
    hubs = List.copyOf(hubs);
    links = List.copyOf(links);
    satellites = List.copyOf(satellites);
    checks = checks == null ? List.of() : List.copyOf(checks);
    userModels = userModels == null ? List.of() : List.copyOf(userModels);
  }

  /**
   * Every check of a model: of a generated one the built-in ones, then those declared in {@code lakehouse.checks};
   * of a user model its {@code schema.yml} tests.
   */
  public List<CheckSpec> checksOf(String asset) {
    List<CheckSpec> all = new java.util.ArrayList<>(ModelCatalog.of(this).builtIn(asset));
    checks.stream().filter(c -> c.asset().equals(asset)).forEach(all::add);
    userModel(asset).ifPresent(m -> all.addAll(m.checks()));
    return List.copyOf(all);
  }

  /** The same pipeline with the user models of {@code lakehouse.user-models.path} (docs/models.md#user-models). */
  public PipelineSpec withUserModels(List<UserModelSpec> models) {
    return new PipelineSpec(endpoints, source, tables, hubs, links, satellites, schedules, worker, security, freshness,
        alerts, checks, models);
  }

  /** The same pipeline on other endpoints (a stack on free ports). */
  public PipelineSpec withEndpoints(Endpoints other) {
    return new PipelineSpec(other, source, tables, hubs, links, satellites, schedules, worker, security, freshness,
        alerts, checks, userModels);
  }

  /** The tables, hubs, links and satellites: what {@code lakehouse apply} converges. */
  public SpecStructure structure() {
    return new SpecStructure(tables, hubs, links, satellites);
  }

  /** The same endpoints, source and schedules with another structure (the one an apply brings). */
  public PipelineSpec withStructure(SpecStructure other) {
    return new PipelineSpec(endpoints, source, other.tables(), other.hubs(), other.links(), other.satellites(),
        schedules, worker, security, freshness, alerts, checks, userModels);
  }

  /** How the lakehouse's clients reach Trino: its endpoint with {@code lakehouse.security.trino}. */
  public TrinoClient trino() {
    return new TrinoClient(endpoints.trino(), security.trino());
  }

  /** The database the CDC source captures: {@code lakehouse.endpoints.postgres.database}. */
  public String sourceDatabase() {
    return endpoints.postgres().database();
  }

  public Optional<TableSpec> table(String name) {
    return tables.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  public Optional<HubSpec> hub(String name) {
    return hubs.stream().filter(h -> h.name().equals(name)).findFirst();
  }

  public Optional<LinkSpec> link(String name) {
    return links.stream().filter(l -> l.name().equals(name)).findFirst();
  }

  public Optional<SatelliteSpec> satellite(String name) {
    return satellites.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  public Optional<UserModelSpec> userModel(String key) {
    return userModels.stream().filter(m -> m.key().equals(key)).findFirst();
  }

  /** Kafka topic of a source table: {@code <topic-prefix>.<schema>.<table>}, e.g. {@code bank.public.users}. */
  public String topic(TableSpec table) {
    return source.topic(table.name());
  }

  /** Name of the parsed table of a source table, e.g. {@code parsed_users}. */
  public static String parsedTableName(String table) {
    return "parsed_" + table;
  }

  /** Name of the rejected-rows table of a source table, e.g. {@code rejected_users}. */
  public static String rejectedTableName(String table) {
    return "rejected_" + table;
  }
}
