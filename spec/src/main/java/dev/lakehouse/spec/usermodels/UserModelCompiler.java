package dev.lakehouse.spec.usermodels;

import dev.lakehouse.spec.CheckSpec;
import dev.lakehouse.spec.CronExpression;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.UserModelSpec;
import dev.lakehouse.spec.UserModelSpec.IncrementalStrategy;
import dev.lakehouse.spec.UserModelSpec.Materialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Compiles the user models of a spec, like dbt's parse: each template is rendered once with
 * {@code is_incremental()} false (and once more with it true for an incremental model, so refs in either branch
 * count) to learn its {@code config} and the assets its {@code ref}/{@code source}/{@code new_rows} calls name.
 * Its {@code schema.yml} tests become its checks ({@link UserModelTests}). Every mistake of one model (template
 * error, unknown ref with "did you mean", bad config, cycle, a test that cannot run) becomes that model's
 * {@link UserModelSpec#problem() problem}; the other models are unaffected.
 */
public final class UserModelCompiler {
  static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");
  /** The pipeline's own schemas: user models write elsewhere. */
  static final Set<String> RESERVED = Set.of(PipelineSpec.RAW_SCHEMA, PipelineSpec.PARSED_SCHEMA,
      PipelineSpec.VAULT_SCHEMA, "ops", "information_schema");
  static final Set<String> CONFIG_KEYS = Set.of("materialized", "unique_key", "incremental_strategy", "schema", "cron");

  private final ModelTemplate template = new ModelTemplate();
  private final Map<String, AssetRole> pipeline;

  /** What a pipeline asset can be to a user model: {@code new_rows} reads parsed tables and satellites. */
  enum AssetRole { RAW, PARSED, SATELLITE, OTHER_VAULT, USER }

  public UserModelCompiler(PipelineSpec spec) {
    Map<String, AssetRole> m = new TreeMap<>();
    spec.tables().forEach(t -> {
      m.put(PipelineSpec.RAW_SCHEMA + "." + t.name(), AssetRole.RAW);
      m.put(PipelineSpec.PARSED_SCHEMA + "." + PipelineSpec.parsedTableName(t.name()), AssetRole.PARSED);
    });
    spec.hubs().forEach(h -> m.put(PipelineSpec.VAULT_SCHEMA + "." + h.name(), AssetRole.OTHER_VAULT));
    spec.links().forEach(l -> m.put(PipelineSpec.VAULT_SCHEMA + "." + l.name(), AssetRole.OTHER_VAULT));
    spec.satellites().forEach(s -> m.put(PipelineSpec.VAULT_SCHEMA + "." + s.name(), AssetRole.SATELLITE));
    this.pipeline = m;
  }

  /** Every model of {@code files}, sorted by key, each compiled or carrying its one-line problem. */
  public List<UserModelSpec> compile(UserModelFiles files) {
    Map<String, UserModelDocs.ModelDoc> docs = UserModelDocs.parse(files.docs());
    // pass 1: every model's key (from its path, or config(schema=...) found by a compile that ignores refs)
    Map<String, UserModelFiles.File> byKey = new TreeMap<>();
    Map<String, String> keyProblems = new LinkedHashMap<>();
    List<Draft> drafts = new ArrayList<>();
    for (UserModelFiles.File f : files.models()) {
      Draft d = new Draft(f);
      drafts.add(d);
      d.key = keyOf(f, d);
      if (d.problem == null && byKey.putIfAbsent(d.key, f) != null) {
        d.problem = f.path() + ":1: model " + d.key + " is also defined by " + byKey.get(d.key).path();
      }
    }
    Map<String, AssetRole> known = new TreeMap<>(pipeline);
    drafts.forEach(d -> known.putIfAbsent(d.key, AssetRole.USER));
    // pass 2: refs and config
    for (Draft d : drafts) {
      if (d.problem == null) {
        compile(d, known);
      }
    }
    new Cycles(drafts).mark();
    List<UserModelSpec> out = new ArrayList<>();
    for (Draft d : drafts) {
      UserModelDocs.ModelDoc doc = docs.getOrDefault(d.key, docs.getOrDefault(d.key.substring(d.key.indexOf('.') + 1),
          UserModelDocs.ModelDoc.NONE));
      List<CheckSpec> checks = List.of();
      if (d.problem == null) {
        try {
          checks = UserModelTests.checks(d.key, doc.file(), doc.tests(), doc.columns(),
              model -> resolveKey(known.keySet(), model), model -> noAsset(known.keySet(), model));
        } catch (UserModelTests.Mistake e) {
          d.problem = e.getMessage(); // like a template mistake: this model fails, the others run
        }
      }
      out.add(new UserModelSpec(d.key, d.file.path(), d.file.text(), d.materialized, d.uniqueKey, d.strategy,
          Optional.ofNullable(d.cron), List.copyOf(d.refs.keySet()), Optional.ofNullable(d.newRowsOf), doc.description(), doc.columns(),
          doc.tests(), checks, Optional.ofNullable(d.problem)));
    }
    out.sort(java.util.Comparator.comparing(UserModelSpec::key));
    return out;
  }

  /** {@code marts/user_balances.sql} is {@code marts.user_balances}; {@code config(schema=...)} overrides. */
  private String keyOf(UserModelFiles.File f, Draft d) {
    String path = f.path().substring(0, f.path().length() - ".sql".length());
    String name = path.substring(path.lastIndexOf('/') + 1);
    String schema = path.contains("/") ? path.substring(0, path.indexOf('/')) : null;
    Object configured = configOnly(f).get("schema");
    if (configured instanceof String s) {
      schema = s;
    }
    String key = (schema == null ? "" : schema) + "." + name;
    if (schema == null) {
      d.problem = f.path() + ":1: a model needs a schema: put it in a directory named after the schema"
          + " (marts/" + name + ".sql) or set config(schema='...')";
    } else if (!IDENTIFIER.matcher(schema).matches() || !IDENTIFIER.matcher(name).matches()) {
      d.problem = f.path() + ":1: schema and model names must match " + IDENTIFIER.pattern() + ", not " + key;
    } else if (RESERVED.contains(schema)) {
      d.problem = f.path() + ":1: schema " + schema + " belongs to the pipeline; put user models in another schema"
          + " (e.g. marts)";
    }
    return key;
  }

  /** The config of a template rendered with refs left unresolved (errors are reported by the full compile). */
  private Map<String, Object> configOnly(UserModelFiles.File f) {
    CompileScope scope = new CompileScope(new Draft(f), null);
    try {
      template.render(f.path(), f.text(), "this", scope);
    } catch (RuntimeException e) {
      // reported by the full compile
    }
    return scope.config;
  }

  private void compile(Draft d, Map<String, AssetRole> known) {
    CompileScope scope = new CompileScope(d, known);
    try {
      template.render(d.file.path(), d.file.text(), d.key, scope);
      applyConfig(d, scope);
      if (d.materialized == Materialization.INCREMENTAL) {
        scope.incremental = true;
        template.render(d.file.path(), d.file.text(), d.key, scope);
      }
    } catch (ModelTemplate.TemplateException e) {
      d.problem = e.getMessage();
    }
  }

  private static void applyConfig(Draft d, CompileScope scope) {
    Map<String, Object> c = scope.config;
    String file = d.file.path();
    int line = scope.configLine;
    for (String k : c.keySet()) {
      if (!CONFIG_KEYS.contains(k)) {
        throw new ModelTemplate.TemplateException(file, line, k.isEmpty()
            ? "config() takes named values only, e.g. config(materialized='table')"
            : "config(" + k + "=...) is not supported; supported: " + String.join(", ", new java.util.TreeSet<>(CONFIG_KEYS)));
      }
    }
    d.materialized = enumValue(Materialization.class, c.getOrDefault("materialized", "view"), file, line, "materialized");
    d.strategy = enumValue(IncrementalStrategy.class, c.getOrDefault("incremental_strategy", "merge"),
        file, line, "incremental_strategy");
    Object uk = c.get("unique_key");
    if (uk instanceof String s) {
      d.uniqueKey = List.of(s);
    } else if (uk instanceof List<?> l && l.stream().allMatch(String.class::isInstance)) {
      d.uniqueKey = l.stream().map(String.class::cast).toList();
    } else if (uk != null) {
      throw new ModelTemplate.TemplateException(file, line, "unique_key must be a column name or a list of them");
    }
    if (d.materialized == Materialization.INCREMENTAL && d.strategy == IncrementalStrategy.MERGE
        && d.uniqueKey.isEmpty()) {
      throw new ModelTemplate.TemplateException(file, line,
          "incremental_strategy 'merge' needs a unique_key (or use incremental_strategy='append')");
    }
    d.cron = cron(c.get("cron"), d.materialized, file, line);
  }

  /** {@code config(cron=...)}: a 5-field cron for a table or incremental model; a view is always current. */
  private static String cron(Object value, Materialization materialized, String file, int line) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String cron)) {
      throw new ModelTemplate.TemplateException(file, line, "cron must be a 5-field cron in quotes, e.g. cron='* * * * *'");
    }
    List<String> problems = CronExpression.problems(cron);
    if (!problems.isEmpty()) {
      throw new ModelTemplate.TemplateException(file, line, "cron '" + cron + "': " + String.join("; ", problems));
    }
    if (materialized == Materialization.VIEW) {
      throw new ModelTemplate.TemplateException(file, line, "a view is always current and needs no cron;"
          + " use cron with materialized='table' or 'incremental'");
    }
    return cron.trim();
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, Object value, String file, int line, String what) {
    for (E e : type.getEnumConstants()) {
      if (e.name().toLowerCase(Locale.ROOT).equals(value)) {
        return e;
      }
    }
    List<String> allowed = java.util.Arrays.stream(type.getEnumConstants())
        .map(e -> "'" + e.name().toLowerCase(Locale.ROOT) + "'").toList();
    throw new ModelTemplate.TemplateException(file, line,
        what + " is '" + value + "'; use one of " + String.join(", ", allowed));
  }

  /** A model being compiled. */
  static final class Draft {
    final UserModelFiles.File file;
    String key;
    String problem;
    Materialization materialized = Materialization.VIEW;
    IncrementalStrategy strategy = IncrementalStrategy.MERGE;
    List<String> uniqueKey = List.of();
    String cron;
    /** upstream asset key -> line of its first ref/source call */
    final Map<String, Integer> refs = new LinkedHashMap<>();
    String newRowsOf;

    Draft(UserModelFiles.File file) {
      this.file = file;
    }
  }

  /**
   * ref/source resolve against the known assets and record edges; config is collected. Without known assets
   * (null) nothing is resolved or checked: only the config is of interest.
   */
  private static final class CompileScope implements ModelTemplate.Scope {
    private final Draft d;
    private final Map<String, AssetRole> known;
    final Map<String, Object> config = new LinkedHashMap<>();
    int configLine = 1;
    boolean incremental;

    CompileScope(Draft d, Map<String, AssetRole> known) {
      this.d = d;
      this.known = known;
    }

    @Override
    public String ref(String model, int line) {
      if (known == null) {
        return model;
      }
      String key = resolve(model, line, "ref('" + model + "')");
      d.refs.putIfAbsent(key, line);
      return key;
    }

    @Override
    public String source(String schema, String table, int line) {
      String key = schema + "." + table;
      if (known == null) {
        return key;
      }
      if (known.get(key) != AssetRole.RAW) {
        throw new ModelTemplate.TemplateException(d.file.path(), line, "source('" + schema + "', '" + table
            + "') names no raw table; did you mean: " + String.join(", ", Suggestions.near(key, known.entrySet().stream()
            .filter(e -> e.getValue() == AssetRole.RAW).map(Map.Entry::getKey).toList())));
      }
      d.refs.putIfAbsent(key, line);
      return key;
    }

    @Override
    public void config(Map<String, Object> values, int line) {
      if (config.isEmpty()) {
        configLine = line;
      }
      config.putAll(values);
    }

    @Override
    public boolean isIncremental() {
      return incremental;
    }

    @Override
    public String newRows(String model, String alias, int line) {
      if (known == null) {
        return "TRUE";
      }
      if (model == null) {
        throw new ModelTemplate.TemplateException(d.file.path(), line,
            "new_rows takes the ref'd model and an optional table alias: new_rows('data_vault.s_users', 's')");
      }
      String key = ref(model, line);
      AssetRole role = known.get(key);
      if (role != AssetRole.PARSED && role != AssetRole.SATELLITE) {
        throw new ModelTemplate.TemplateException(d.file.path(), line, "new_rows('" + model + "'): only parsed"
            + " tables and satellites carry a load watermark; filter other upstreams yourself");
      }
      if (d.newRowsOf != null && !d.newRowsOf.equals(key)) {
        throw new ModelTemplate.TemplateException(d.file.path(), line, "new_rows is used for " + d.newRowsOf
            + " and " + key + "; a model follows the load watermark of one upstream");
      }
      d.newRowsOf = key;
      return "TRUE";
    }

    private String resolve(String model, int line, String call) {
      return resolveKey(known.keySet(), model).orElseThrow(() -> new ModelTemplate.TemplateException(d.file.path(),
          line, call + " " + noAsset(known.keySet(), model)));
    }
  }

  /** The asset a ref names: its key, or its name when that is unique among the assets. */
  static Optional<String> resolveKey(Set<String> known, String model) {
    if (known.contains(model)) {
      return Optional.of(model);
    }
    List<String> byName = byName(known, model);
    return byName.size() == 1 ? Optional.of(byName.get(0)) : Optional.empty();
  }

  /** Why {@link #resolveKey} found nothing: {@code names no asset; did you mean: ...}. */
  static String noAsset(Set<String> known, String model) {
    List<String> byName = byName(known, model);
    List<String> near = Suggestions.near(model, List.copyOf(known));
    return "names no asset" + (near.isEmpty() ? "" : "; did you mean: " + String.join(", ", near))
        + (byName.size() > 1 ? " (the name is ambiguous: " + String.join(", ", byName) + ")" : "");
  }

  private static List<String> byName(Set<String> known, String model) {
    return known.stream().filter(k -> k.substring(k.indexOf('.') + 1).equals(model)).toList();
  }

  /** Marks every model on a cycle of refs between user models, and drops the edges that close it. */
  private static final class Cycles {
    private final Map<String, Draft> byKey = new LinkedHashMap<>();

    Cycles(List<Draft> drafts) {
      drafts.forEach(d -> byKey.putIfAbsent(d.key, d));
    }

    void mark() {
      Set<String> done = new LinkedHashSet<>();
      for (String k : byKey.keySet()) {
        visit(k, new ArrayList<>(), done);
      }
    }

    private void visit(String key, List<String> path, Set<String> done) {
      if (done.contains(key)) {
        return;
      }
      int at = path.indexOf(key);
      if (at >= 0) {
        List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
        cycle.add(key);
        String text = String.join(" -> ", cycle);
        for (int i = 0; i + 1 < cycle.size(); i++) {
          Draft d = byKey.get(cycle.get(i));
          Integer line = d.refs.remove(cycle.get(i + 1));
          if (d.problem == null) {
            d.problem = d.file.path() + ":" + line + ": ref('" + cycle.get(i + 1) + "') closes a cycle between models: "
                + text;
          }
        }
        return;
      }
      Draft d = byKey.get(key);
      path.add(key);
      for (String up : List.copyOf(d.refs.keySet())) {
        if (byKey.containsKey(up)) {
          visit(up, path, done);
        }
      }
      path.remove(path.size() - 1);
      done.add(key);
    }
  }
}
