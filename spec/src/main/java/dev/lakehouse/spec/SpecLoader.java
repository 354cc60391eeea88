package dev.lakehouse.spec;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValueFactory;
import dev.lakehouse.spec.usermodels.UserModelCompiler;
import dev.lakehouse.spec.usermodels.UserModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds, loads and validates the pipeline spec; the only place that reads lakehouse.conf.
 *
 * <p>Where from ({@link #locate}): the file named by the system property {@code lakehouse.spec} or the
 * environment variable {@code LAKEHOUSE_SPEC}; else {@code lakehouse.conf} in the working directory or the
 * nearest parent holding one (a checkout); else the copy bundled in this jar. Override maps are layered on top
 * (keys are full HOCON paths, e.g. {@code lakehouse.endpoints.temporal.port}); the file's
 * {@code ${?LAKEHOUSE_...}} substitutions read the environment map given (normally the process environment),
 * below the overrides.
 *
 * <p>Every failure is a {@link SpecException}: a syntax error names the file and line, validation lists every
 * problem with its HOCON path.
 */
public final class SpecLoader {
  public static final String SPEC_ENV = "LAKEHOUSE_SPEC";
  public static final String SPEC_PROPERTY = "lakehouse.spec";
  public static final String RESOURCE = "lakehouse.conf";

  private SpecLoader() {}

  /** The default spec as this process's environment sees it, no overrides. */
  public static PipelineSpec load() {
    return load(System.getenv(), Map.of());
  }

  /** The default spec as this process's environment sees it, {@code overrides} on top. */
  public static PipelineSpec load(Map<String, ?> overrides) {
    return load(System.getenv(), overrides);
  }

  /** The spec {@link #locate(Map) located} with {@code env}, resolved against {@code env}, overrides on top. */
  public static PipelineSpec load(Map<String, String> env, Map<String, ?> overrides) {
    return load(locate(env), env, overrides);
  }

  /** The spec from {@code source}, resolved against {@code env}, {@code overrides} on top. */
  public static PipelineSpec load(SpecSource source, Map<String, String> env, Map<String, ?> overrides) {
    Path base = source.file().map(f -> f.toAbsolutePath().getParent()).orElse(null);
    return fromConfig(parse(source), overrides, env, source.origin(), base);
  }

  /**
   * Where the spec comes from: {@code -Dlakehouse.spec}, else {@code LAKEHOUSE_SPEC} of {@code env}, else
   * lakehouse.conf in the working directory or a parent, else the bundled copy. A named file that does not
   * exist is an error, not a fallback: the user meant that file.
   */
  public static SpecSource locate(Map<String, String> env) {
    String property = System.getProperty(SPEC_PROPERTY);
    String explicit = nonBlank(property) ? property : env.get(SPEC_ENV);
    if (nonBlank(explicit)) {
      Path file = Paths.get(explicit.trim()).toAbsolutePath().normalize();
      if (!Files.isRegularFile(file)) {
        String name = nonBlank(property) ? "-D" + SPEC_PROPERTY : SPEC_ENV;
        throw new SpecException(file.toString(), List.of(name + " names no readable file: set it to a"
            + " lakehouse.conf, or unset it to use the checkout's"));
      }
      return SpecSource.file(file);
    }
    return findUpwards(Paths.get("").toAbsolutePath()).map(SpecSource::file).orElse(SpecSource.bundled());
  }

  /** lakehouse.conf in {@code from} or its nearest parent that has one. */
  public static Optional<Path> findUpwards(Path from) {
    for (Path dir = from; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(RESOURCE);
      if (Files.isRegularFile(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Parses HOCON text (tests, tools). */
  public static PipelineSpec parse(String hocon, Map<String, ?> overrides) {
    Config config;
    try {
      config = ConfigFactory.parseString(hocon);
    } catch (ConfigException e) {
      throw SpecException.syntax("string", e);
    }
    return fromConfig(config, overrides, System.getenv(), "string");
  }

  /** Layers {@code overrides} on an unresolved config, resolves it against the process environment, reads it. */
  public static PipelineSpec fromConfig(Config unresolved, Map<String, ?> overrides, String origin) {
    return fromConfig(unresolved, overrides, System.getenv(), origin);
  }

  /**
   * Layers {@code overrides} on an unresolved config, resolves it against {@code env} and reads the spec.
   * {@code ${?VAR}} looks in the config's root before the environment, so an override {@code VAR -> value}
   * stands in for a variable too.
   */
  public static PipelineSpec fromConfig(Config unresolved, Map<String, ?> overrides, Map<String, String> env,
      String origin) {
    return fromConfig(unresolved, overrides, env, origin, null);
  }

  /**
   * {@link #fromConfig(Config, Map, Map, String)} with the user models directory ({@code lakehouse.user-models.path})
   * resolved against {@code base}, the spec file's directory; a null {@code base} (the bundled spec) reads it only
   * if it exists in the working directory.
   */
  static PipelineSpec fromConfig(Config unresolved, Map<String, ?> overrides, Map<String, String> env,
      String origin, Path base) {
    Config config;
    try {
      config = ConfigFactory.parseMap(overrides, "overrides")
          .withFallback(unresolved)
          .withFallback(ConfigValueFactory.fromMap(env, "environment").toConfig())
          .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false));
    } catch (ConfigException e) {
      throw new SpecException(origin, List.of(e.getMessage()));
    }
    PipelineSpec spec = new SpecReader(config.hasPath("lakehouse") ? config.getConfig("lakehouse")
        : ConfigFactory.empty(), origin).read();
    return withUserModels(spec, config, origin, base);
  }

  private static final String USER_MODELS_PATH = "lakehouse.user-models.path";

  /** Reads and compiles the user models directory named by the spec, if any. */
  private static PipelineSpec withUserModels(PipelineSpec spec, Config config, String origin, Path base) {
    if (!config.hasPath(USER_MODELS_PATH)) {
      return spec;
    }
    String path;
    try {
      path = config.getString(USER_MODELS_PATH);
    } catch (ConfigException e) {
      throw new SpecException(origin, List.of(USER_MODELS_PATH + ": " + e.getMessage()));
    }
    // relative to the file that sets it, so a spec that includes the main one finds the main one's directory
    String declaredIn = config.getValue(USER_MODELS_PATH).origin().filename();
    if (base != null && declaredIn != null) {
      base = Paths.get(declaredIn).toAbsolutePath().getParent();
    }
    Path dir = (base == null ? Paths.get("").toAbsolutePath() : base).resolve(path).normalize();
    if (!Files.isDirectory(dir)) {
      if (base == null) {
        return spec; // the bundled spec outside a checkout: no models directory beside it
      }
      throw new SpecException(origin, List.of(USER_MODELS_PATH + ": no directory " + dir
          + " (a relative path is resolved against the directory of the spec file that sets it)"));
    }
    try {
      return spec.withUserModels(new UserModelCompiler(spec).compile(UserModelFiles.read(dir)));
    } catch (java.io.UncheckedIOException e) {
      throw new SpecException(origin, List.of(USER_MODELS_PATH + ": " + e.getMessage()));
    }
  }

  /**
   * Overrides (HOCON path to value) under which {@link #load} gives exactly {@code endpoints}: how a component
   * is pointed at a stack on other ports.
   */
  public static Map<String, String> overrides(Endpoints e) {
    String p = "lakehouse.endpoints.";
    Map<String, String> m = new LinkedHashMap<>();
    m.put(p + "host", e.host());
    m.put(p + "postgres.host", e.postgres().host());
    m.put(p + "postgres.port", String.valueOf(e.postgres().port()));
    m.put(p + "postgres.database", e.postgres().database());
    m.put(p + "postgres.user", e.postgres().user());
    m.put(p + "postgres.password", e.postgres().password());
    m.put(p + "kafka.host", e.kafka().host());
    m.put(p + "kafka.port", String.valueOf(e.kafka().port()));
    m.put(p + "kafka.controller-port", String.valueOf(e.kafka().controllerPort()));
    m.put(p + "connect.host", e.connect().host());
    m.put(p + "connect.port", String.valueOf(e.connect().port()));
    m.put(p + "flink.host", e.flink().host());
    m.put(p + "flink.port", String.valueOf(e.flink().port()));
    m.put(p + "flink.sql-gateway-host", e.flink().sqlGatewayHost());
    m.put(p + "flink.sql-gateway-port", String.valueOf(e.flink().sqlGatewayPort()));
    m.put(p + "flink.rpc-port", String.valueOf(e.flink().rpcPort()));
    m.put(p + "iceberg-rest.host", e.icebergRest().host());
    m.put(p + "iceberg-rest.port", String.valueOf(e.icebergRest().port()));
    m.put(p + "s3.host", e.s3().host());
    m.put(p + "s3.port", String.valueOf(e.s3().port()));
    m.put(p + "s3.bucket", e.s3().bucket());
    m.put(p + "s3.access-key", e.s3().accessKey());
    m.put(p + "s3.secret-key", e.s3().secretKey());
    m.put(p + "s3.region", e.s3().region());
    m.put(p + "s3.credentials", e.s3().credentials().text());
    m.put(p + "trino.host", e.trino().host());
    m.put(p + "trino.port", String.valueOf(e.trino().port()));
    m.put(p + "trino.user", e.trino().user());
    m.put(p + "temporal.host", e.temporal().host());
    m.put(p + "temporal.port", String.valueOf(e.temporal().port()));
    m.put(p + "temporal.ui-port", String.valueOf(e.temporal().uiPort()));
    m.put(p + "console.host", e.console().host());
    m.put(p + "console.port", String.valueOf(e.console().port()));
    m.put(p + "temporal.http-port", String.valueOf(e.temporal().httpPort()));
    m.put(p + "temporal.metrics-port", String.valueOf(e.temporal().metricsPort()));
    m.put(p + "temporal.namespace", e.temporal().namespace());
    m.put(p + "temporal.task-queue", e.temporal().taskQueue());
    return m;
  }

  private static Config parse(SpecSource source) {
    ConfigParseOptions options = ConfigParseOptions.defaults().setAllowMissing(false);
    try {
      return source.file().isPresent()
          ? ConfigFactory.parseFile(source.file().get().toFile(), options)
          : ConfigFactory.parseResources(SpecLoader.class.getClassLoader(), RESOURCE, options);
    } catch (ConfigException e) {
      throw SpecException.syntax(source.origin(), e);
    }
  }

  private static boolean nonBlank(String s) {
    return s != null && !s.isBlank();
  }
}
