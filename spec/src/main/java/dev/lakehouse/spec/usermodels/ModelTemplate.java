package dev.lakehouse.spec.usermodels;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.el.ext.NamedParameter;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a user model's template with HubSpot Jinjava and dbt's functions: {@code ref}, {@code source},
 * {@code config}, {@code is_incremental}, {@code this}, and the lakehouse's {@code new_rows}. What they return is
 * decided by a {@link Scope}: compiling (the spec, to learn refs and config) and running (models, to print the
 * SQL a run executes) render the same template with different scopes. Pure: no I/O.
 */
public final class ModelTemplate {
  /** The binding through which the static function entry points reach the scope of the render in progress. */
  private static final String SCOPE = "__lakehouse_scope";

  /** What the dbt functions mean in one render; {@code line} is the template line of the call. */
  public interface Scope {
    String ref(String model, int line);

    String source(String schema, String table, int line);

    void config(Map<String, Object> values, int line);

    boolean isIncremental();

    /** {@code new_rows('data_vault.s_accounts', 's')}: a predicate on the rows loaded since this model's last run. */
    String newRows(String model, String alias, int line);
  }

  /** A template that cannot be rendered: {@link #getMessage()} is {@code <file>:<line>: <what>}. */
  public static final class TemplateException extends RuntimeException {
    public TemplateException(String file, int line, String message) {
      super(file + ":" + line + ": " + message);
    }
  }

  private final Jinjava jinjava;

  public ModelTemplate() {
    // an unknown variable is an error, not an empty string: a typo must not silently change the SQL
    // trim_blocks (the newline after a block tag goes): a {% if %} line leaves no blank line in the printed SQL
    jinjava = new Jinjava(JinjavaConfig.newBuilder().withFailOnUnknownTokens(true).withTrimBlocks(true).build());
    register("ref", "ref", String.class);
    register("source", "source", String.class, String.class);
    register("config", "config", Object[].class);
    register("is_incremental", "isIncremental");
    register("new_rows", "newRows", Object[].class);
  }

  private void register(String name, String method, Class<?>... params) {
    jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", name, ModelTemplate.class, method, params));
  }

  /** The SQL of {@code template} ({@code file} names it in errors), {@code this} being {@code thisRelation}. */
  public String render(String file, String template, String thisRelation, Scope scope) {
    Map<String, Object> bindings = new LinkedHashMap<>();
    bindings.put(SCOPE, scope);
    bindings.put("this", thisRelation);
    RenderResult result = jinjava.renderForResult(template, bindings);
    for (TemplateError e : result.getErrors()) {
      if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
        Throwable cause = e.getException();
        while (cause != null && !(cause instanceof TemplateException) && cause.getCause() != cause) {
          cause = cause.getCause();
        }
        if (cause instanceof TemplateException t) {
          throw t; // a scope's own error (unknown ref) already names file and line
        }
        throw new TemplateException(file, Math.max(e.getLineno(), 1), e.getMessage());
      }
    }
    return result.getOutput();
  }

  // ---------------------------------------------------------------- function entry points (Jinjava calls statics)

  private static Scope scope() {
    return (Scope) JinjavaInterpreter.getCurrent().getContext().get(SCOPE);
  }

  private static int line() {
    return JinjavaInterpreter.getCurrent().getLineNumber();
  }

  public static String ref(String model) {
    return scope().ref(model, line());
  }

  public static String source(String schema, String table) {
    return scope().source(schema, table, line());
  }

  public static String config(Object... args) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Object a : args) {
      if (a instanceof NamedParameter p) {
        values.put(p.getName(), p.getValue());
      } else {
        values.put("", a); // positional: reported by the scope as a mistake
      }
    }
    scope().config(values, line());
    return "";
  }

  public static boolean isIncremental() {
    return scope().isIncremental();
  }

  public static String newRows(Object... args) {
    List<Object> plain = java.util.Arrays.stream(args).map(a -> a instanceof NamedParameter p ? p.getValue() : a)
        .toList();
    if (plain.isEmpty() || plain.size() > 2 || !plain.stream().allMatch(String.class::isInstance)) {
      return scope().newRows(null, null, line());
    }
    return scope().newRows((String) plain.get(0), plain.size() == 2 ? (String) plain.get(1) : null, line());
  }
}
