package dev.lakehouse.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The type of a source column, as {@code lakehouse.tables.<table>.columns[i].type} writes it: a {@link Kind}, and
 * for {@code decimal(p,s)} its precision and scale (both 0 for the other kinds). {@link #toString()} is the spec's
 * text. The one list of the types the spec accepts: the loader validates with {@link #parse}, the models map each
 * kind to its Trino type.
 */
public record ColumnType(Kind kind, int precision, int scale) {

  public enum Kind {
    UUID, VARCHAR, TEXT, BOOLEAN, INTEGER, BIGINT, DOUBLE, DATE, TIMESTAMP, DECIMAL;

    /** The spec's name of the kind ({@code uuid}, {@code decimal}). */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d{1,2}),(\\d{1,2})\\)");

  /** Every form the spec accepts, as one regular expression (the loader shows it when a type is unknown). */
  public static final String FORMS = Arrays.stream(Kind.values()).filter(k -> k != Kind.DECIMAL).map(Kind::label)
      .collect(Collectors.joining("|")) + "|decimal\\(\\d{1,2},\\d{1,2}\\)";

  public ColumnType {
    if (kind == null) {
      throw new IllegalArgumentException("a column type needs a kind");
    }
    if (kind != Kind.DECIMAL && (precision != 0 || scale != 0)) {
      throw new IllegalArgumentException(kind.label() + " has no precision or scale");
    }
  }

  /** A type without precision and scale (every kind but decimal). */
  public static ColumnType of(Kind kind) {
    if (kind == Kind.DECIMAL) {
      throw new IllegalArgumentException("decimal needs a precision and scale: ColumnType.decimal(p, s)");
    }
    return new ColumnType(kind, 0, 0);
  }

  public static ColumnType decimal(int precision, int scale) {
    return new ColumnType(Kind.DECIMAL, precision, scale);
  }

  /** The type the spec's text names ({@code uuid}, {@code decimal(15,2)}); empty when it is none of {@link #FORMS}. */
  public static Optional<ColumnType> parse(String text) {
    Matcher m = DECIMAL.matcher(text);
    if (m.matches()) {
      return Optional.of(decimal(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
    }
    return Arrays.stream(Kind.values()).filter(k -> k != Kind.DECIMAL && k.label().equals(text)).findFirst()
        .map(ColumnType::of);
  }

  @Override
  public String toString() {
    return kind == Kind.DECIMAL ? "decimal(" + precision + "," + scale + ")" : kind.label();
  }
}
