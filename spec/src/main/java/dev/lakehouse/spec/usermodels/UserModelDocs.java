package dev.lakehouse.spec.usermodels;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lakehouse.spec.SpecException;
import dev.lakehouse.spec.UserModelSpec.ColumnDoc;
import dev.lakehouse.spec.UserModelSpec.DataTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * dbt's {@code schema.yml} beside the models: per model a {@code description}, {@code columns} (name,
 * description, {@code tests}) and model-level {@code tests} ({@code data_tests} is accepted too). A test is a name
 * ({@code not_null}) or a one-entry map of name to arguments ({@code accepted_values: {values: [a, b]}}).
 */
final class UserModelDocs {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** {@code file}: the yml file that documents the model (its tests' errors name it). */
  record ModelDoc(String file, String description, List<ColumnDoc> columns, List<DataTest> tests) {
    static final ModelDoc NONE = new ModelDoc("", "", List.of(), List.of());
  }

  private UserModelDocs() {}

  /** Docs by model name (or {@code schema.name}), from every yml file; a malformed file fails the spec. */
  static Map<String, ModelDoc> parse(List<UserModelFiles.File> files) {
    Map<String, ModelDoc> out = new LinkedHashMap<>();
    for (UserModelFiles.File f : files) {
      Object root;
      try {
        root = YAML.readValue(f.text(), Object.class);
      } catch (JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        throw new SpecException(f.path(), List.of(f.path() + ":" + (at == null ? 1 : at.getLineNr())
            + ": not valid YAML: " + e.getOriginalMessage()));
      }
      if (!(root instanceof Map<?, ?> m) || !(m.get("models") instanceof List<?> models)) {
        continue; // sources:, seeds: ... are dbt's and mean nothing here
      }
      for (Object entry : models) {
        if (!(entry instanceof Map<?, ?> model) || !(model.get("name") instanceof String name)) {
          throw new SpecException(f.path(), List.of(f.path() + ": every entry of models: needs a name"));
        }
        List<ColumnDoc> columns = new ArrayList<>();
        if (model.get("columns") instanceof List<?> cols) {
          for (Object c : cols) {
            if (c instanceof Map<?, ?> col && col.get("name") instanceof String cn) {
              columns.add(new ColumnDoc(cn, text(col.get("description")), tests(col, Optional.of(cn))));
            }
          }
        }
        out.put(name, new ModelDoc(f.path(), text(model.get("description")), columns, tests(model, Optional.empty())));
      }
    }
    return out;
  }

  private static String text(Object o) {
    return o == null ? "" : String.valueOf(o).strip();
  }

  private static List<DataTest> tests(Map<?, ?> owner, Optional<String> column) {
    Object list = owner.containsKey("data_tests") ? owner.get("data_tests") : owner.get("tests");
    List<DataTest> out = new ArrayList<>();
    if (list instanceof List<?> l) {
      for (Object t : l) {
        if (t instanceof String name) {
          out.add(new DataTest(name, column, Map.of()));
        } else if (t instanceof Map<?, ?> m && m.size() == 1) {
          Map.Entry<?, ?> e = m.entrySet().iterator().next();
          Map<String, Object> args = new LinkedHashMap<>();
          if (e.getValue() instanceof Map<?, ?> a) {
            a.forEach((k, v) -> {
              if (v != null) { // `values: ~` is no argument
                args.put(String.valueOf(k), v);
              }
            });
          }
          out.add(new DataTest(String.valueOf(e.getKey()), column, args));
        }
      }
    }
    return out;
  }
}
