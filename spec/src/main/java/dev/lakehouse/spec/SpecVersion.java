package dev.lakehouse.spec;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The version of a spec: the first 8 hex digits of the SHA-256 of what the worker builds from it and what
 * {@code lakehouse apply} converges (source, tables, vault models, checks, user models, schedules, freshness), in a
 * canonical text (maps sorted by key, so two JVMs agree). Endpoints, worker, security and alert settings are left
 * out: the same spec on other ports (a test stack) is the same version. The worker carries it in its Temporal
 * identity; {@code lakehouse status} compares it with the spec file's.
 */
public final class SpecVersion {
  private SpecVersion() {}

  public static String of(PipelineSpec spec) {
    String text = canonical(spec.source()) + canonical(spec.structure()) + canonical(spec.checks())
        + canonical(spec.userModels()) + canonical(spec.schedules()) + canonical(spec.freshness());
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash).substring(0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Records by component, maps sorted by key, collections in order: stable across JVMs (unlike Map.copyOf). */
  static String canonical(Object value) {
    if (value instanceof Record r) {
      StringBuilder b = new StringBuilder(r.getClass().getSimpleName()).append('(');
      for (RecordComponent c : r.getClass().getRecordComponents()) {
        try {
          b.append(c.getName()).append('=').append(canonical(c.getAccessor().invoke(r))).append(';');
        } catch (IllegalAccessException | InvocationTargetException e) {
          throw new IllegalStateException("cannot read " + c + " of " + r.getClass().getName(), e);
        }
      }
      return b.append(')').toString();
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, String> sorted = new TreeMap<>();
      m.forEach((k, v) -> sorted.put(canonical(k), canonical(v)));
      return sorted.toString();
    }
    if (value instanceof Collection<?> c) {
      return c.stream().map(SpecVersion::canonical).collect(Collectors.joining(",", "[", "]"));
    }
    if (value instanceof Optional<?> o) {
      return o.map(SpecVersion::canonical).orElse("-");
    }
    return String.valueOf(value);
  }
}
