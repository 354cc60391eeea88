package dev.lakehouse.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository's {@code docker-compose.yml}, read the way {@code docker compose} reads it for the
 * parts the tests look at: variables are interpolated from the environment
 * ({@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR-default}}, {@code $$}), ports are
 * normalized from the short and the long syntax.
 */
final class ComposeFile {

  /** Marks a service that runs once and exits (no healthcheck, others wait for its completion). */
  static final String ONE_SHOT_LABEL = "dev.lakehouse.one-shot";

  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

  final Path root;
  final Path file;
  final JsonNode tree;
  private final Function<String, String> env;

  private ComposeFile(Path root, Path file, JsonNode tree, Function<String, String> env) {
    this.root = root;
    this.file = file;
    this.tree = tree;
    this.env = env;
  }

  static ComposeFile load(Function<String, String> env) {
    Path root = repositoryRoot();
    Path file = root.resolve("docker-compose.yml");
    try {
      JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
      return new ComposeFile(root, file, tree, env);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The directory holding docker-compose.yml and lakehouse.conf, found upwards from the working dir. */
  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("docker-compose.yml")) && Files.isRegularFile(d.resolve("lakehouse.conf"))) {
        return d;
      }
    }
    throw new IllegalStateException("no docker-compose.yml + lakehouse.conf above " + dir);
  }

  /** {@code lakehouse.conf} resolved with the environment, as the worker and the stack read it. */
  static Config spec(Path root) {
    return ConfigFactory.parseFile(root.resolve("lakehouse.conf").toFile()).resolve();
  }

  Map<String, JsonNode> services() {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    JsonNode services = tree.path("services");
    for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  boolean isOneShot(JsonNode service) {
    JsonNode labels = service.path("labels");
    if (labels.isObject()) {
      return "true".equals(interpolate(labels.path(ONE_SHOT_LABEL).asText("")));
    }
    if (labels.isArray()) {
      for (JsonNode l : labels) {
        if (interpolate(l.asText()).equals(ONE_SHOT_LABEL + "=true")) {
          return true;
        }
      }
    }
    return false;
  }

  /** One published port: host address (empty when none is given), host port, container port. */
  record Port(String hostIp, int published, int target, String raw) {}

  List<Port> ports(JsonNode service) {
    List<Port> out = new ArrayList<>();
    for (JsonNode p : service.path("ports")) {
      if (p.isObject()) {
        out.add(new Port(interpolate(p.path("host_ip").asText("")),
            Integer.parseInt(interpolate(p.path("published").asText("0"))),
            Integer.parseInt(interpolate(p.path("target").asText("0"))), p.toString()));
        continue;
      }
      String raw = p.asText();
      String spec = interpolate(raw);
      int slash = spec.indexOf('/');
      if (slash >= 0) {
        spec = spec.substring(0, slash);
      }
      String[] parts = spec.split(":");
      switch (parts.length) {
        case 1 -> out.add(new Port("", 0, Integer.parseInt(parts[0]), raw));
        case 2 -> out.add(new Port("", Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), raw));
        case 3 -> out.add(new Port(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), raw));
        default -> throw new IllegalArgumentException("cannot read port " + raw);
      }
    }
    return out;
  }

  /** A volume entry: bind mount (source is a path) or named volume. */
  record Mount(String source, String target, boolean bind, String raw) {}

  List<Mount> mounts(JsonNode service) {
    List<Mount> out = new ArrayList<>();
    for (JsonNode v : service.path("volumes")) {
      if (v.isObject()) {
        String type = v.path("type").asText("volume");
        out.add(new Mount(interpolate(v.path("source").asText("")), interpolate(v.path("target").asText("")),
            "bind".equals(type), v.toString()));
        continue;
      }
      String raw = v.asText();
      String[] parts = interpolate(raw).split(":");
      String source = parts.length > 1 ? parts[0] : "";
      String target = parts.length > 1 ? parts[1] : parts[0];
      boolean bind = source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
      out.add(new Mount(source, target, bind, raw));
    }
    return out;
  }

  /** The service's depends_on as a map (the list form is returned with an empty condition). */
  Map<String, String> dependsOn(JsonNode service) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode deps = service.path("depends_on");
    if (deps.isArray()) {
      deps.forEach(d -> out.put(d.asText(), ""));
    } else if (deps.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = deps.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.put(e.getKey(), e.getValue().path("condition").asText(""));
      }
    }
    return out;
  }

  /** The build section in its long form (a string build is {@code {context: <string>}}). */
  JsonNode build(JsonNode service) {
    JsonNode b = service.path("build");
    if (b.isTextual()) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("context", b.asText());
      return o;
    }
    return b;
  }

  String interpolate(String s) {
    Matcher m = VARIABLE.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group().equals("$$")) {
        replacement = "$";
      } else if (m.group(4) != null) {
        replacement = orEmpty(env.apply(m.group(4)));
      } else {
        String value = env.apply(m.group(1));
        String op = m.group(2);
        if (op == null) {
          replacement = orEmpty(value);
        } else if (op.equals(":-")) {
          replacement = value == null || value.isEmpty() ? m.group(3) : value;
        } else if (op.equals("-")) {
          replacement = value == null ? m.group(3) : value;
        } else {
          if (value == null || (op.equals(":?") && value.isEmpty())) {
            throw new IllegalStateException("required variable " + m.group(1) + ": " + m.group(3));
          }
          replacement = value;
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
