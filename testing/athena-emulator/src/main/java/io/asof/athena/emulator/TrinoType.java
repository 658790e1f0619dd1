package io.asof.athena.emulator;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A Trino type signature as Trino's JDBC driver and {@code information_schema} print it ({@code
 * decimal(38,2)}, {@code timestamp(6) with time zone}, {@code row(a bigint, b array(varchar))}),
 * parsed so it can be spelled the way Athena's result metadata and Glue's columns spell it.
 *
 * @param name the base name in lower case, suffixes included ({@code timestamp with time zone})
 * @param numbers the numeric parameters ({@code 38, 2} of a decimal; the precision of a timestamp)
 * @param fields the type parameters: an array's element, a map's key and value, a row's fields
 */
record TrinoType(String name, List<Long> numbers, List<Field> fields) {
  /** Athena's precision of an unbounded {@code varchar}. */
  static final int UNBOUNDED_VARCHAR_PRECISION = Integer.MAX_VALUE;

  /**
   * One type parameter.
   *
   * @param name a row field's name; empty for anonymous fields and other parameters
   * @param type its type
   */
  record Field(Optional<String> name, TrinoType type) {
    Field {
      requireNonNull(name, "name is null");
      requireNonNull(type, "type is null");
    }
  }

  TrinoType {
    requireNonNull(name, "name is null");
    numbers = List.copyOf(numbers);
    fields = List.copyOf(fields);
  }

  /**
   * Parses a signature; throws {@link IllegalArgumentException} naming the signature if invalid.
   */
  static TrinoType parse(String signature) {
    Parser parser = new Parser(signature);
    TrinoType type = parser.type();
    parser.skipSpaces();
    if (!parser.atEnd()) {
      throw new IllegalArgumentException("not a Trino type: " + signature);
    }
    return type;
  }

  /** Athena's name of the type in result metadata: the base name without parameters. */
  String athenaName() {
    return name;
  }

  /**
   * Athena's precision: a decimal's precision, a timestamp's or time's fractional digits, a bounded
   * varchar's or char's length, an unbounded varchar's {@value #UNBOUNDED_VARCHAR_PRECISION}, the
   * decimal digits of an integer type (3, 5, 10, 19), 17 for double and 9 for real; else 0.
   */
  int athenaPrecision() {
    if (!numbers.isEmpty()) {
      return Math.toIntExact(numbers.getFirst());
    }
    return switch (name) {
      case "varchar" -> UNBOUNDED_VARCHAR_PRECISION;
      case "tinyint" -> 3;
      case "smallint" -> 5;
      case "integer" -> 10;
      case "bigint" -> 19;
      case "double" -> 17;
      case "real" -> 9;
      default -> 0;
    };
  }

  /** Athena's scale: a decimal's scale; else 0. */
  int athenaScale() {
    return name.equals("decimal") && numbers.size() > 1 ? Math.toIntExact(numbers.get(1)) : 0;
  }

  /** Whether Athena reports values of this type as case-sensitive: character strings are. */
  boolean athenaCaseSensitive() {
    return name.equals("varchar") || name.equals("char");
  }

  /**
   * The type as the Glue Data Catalog (Hive) spells it: {@code varchar} is {@code string}, {@code
   * integer} {@code int}, {@code real} {@code float}, {@code varbinary} {@code binary}, timestamps
   * of any precision {@code timestamp}, {@code array(T)} {@code array<T>}, {@code map(K, V)} {@code
   * map<K,V>}, {@code row(a T)} {@code struct<a:T>}; decimals, bounded varchars and the rest as
   * they are.
   */
  String hiveName() {
    return switch (name) {
      case "varchar" -> numbers.isEmpty() ? "string" : "varchar(" + numbers.getFirst() + ")";
      case "char" -> numbers.isEmpty() ? "char(1)" : "char(" + numbers.getFirst() + ")";
      case "integer" -> "int";
      case "real" -> "float";
      case "varbinary" -> "binary";
      case "timestamp", "timestamp with time zone" -> "timestamp";
      case "uuid", "json" -> "string";
      case "decimal" ->
          "decimal(" + String.join(",", numbers.stream().map(String::valueOf).toList()) + ")";
      case "array" -> "array<" + fields.getFirst().type().hiveName() + ">";
      case "map" ->
          "map<" + fields.get(0).type().hiveName() + "," + fields.get(1).type().hiveName() + ">";
      case "row" -> {
        List<String> hiveFields = new ArrayList<>(fields.size());
        for (int i = 0; i < fields.size(); i++) {
          Field field = fields.get(i);
          hiveFields.add(field.name().orElse("_col" + i) + ":" + field.type().hiveName());
        }
        yield "struct<" + String.join(",", hiveFields) + ">";
      }
      default -> name;
    };
  }

  /** A small recursive-descent parser over a signature's characters. */
  private static final class Parser {
    private final String text;
    private int position;

    Parser(String text) {
      this.text = text;
    }

    TrinoType type() {
      String base = words();
      if (base.isEmpty()) {
        throw new IllegalArgumentException("not a Trino type: " + text);
      }
      List<Long> numbers = new ArrayList<>();
      List<Field> fields = new ArrayList<>();
      skipSpaces();
      if (peek('(')) {
        position++;
        do {
          skipSpaces();
          if (Character.isDigit(current())) {
            numbers.add(Long.parseLong(digits()));
          } else {
            fields.add(field(base.equals("row")));
          }
          skipSpaces();
        } while (consume(','));
        expect(')');
        // "timestamp(6) with time zone": the suffix follows the parameters
        String suffix = words();
        if (!suffix.isEmpty()) {
          base = base + " " + suffix;
        }
      }
      return new TrinoType(base, numbers, fields);
    }

    private Field field(boolean named) {
      if (named) {
        if (peek('"')) {
          String name = quoted();
          skipSpaces();
          return new Field(Optional.of(name), type());
        }
        int start = position;
        String first = word();
        // a row field is "name type" unless the word starts a type of its own
        if (peek(' ') && !first.equals("interval")) {
          skipSpaces();
          if (Character.isLetter(current()) || peek('"')) {
            return new Field(Optional.of(first), type());
          }
        }
        position = start;
      }
      return new Field(Optional.empty(), type());
    }

    /** Space-separated words, as in {@code timestamp with time zone} or {@code double}. */
    private String words() {
      StringBuilder words = new StringBuilder();
      while (true) {
        int start = position;
        skipSpaces();
        if (atEnd() || !Character.isLetter(current())) {
          position = start;
          return words.toString().toLowerCase(Locale.ROOT);
        }
        if (!words.isEmpty()) {
          words.append(' ');
        }
        words.append(word());
      }
    }

    private String word() {
      int start = position;
      while (!atEnd() && (Character.isLetterOrDigit(current()) || current() == '_')) {
        position++;
      }
      return text.substring(start, position);
    }

    private String digits() {
      int start = position;
      while (!atEnd() && Character.isDigit(current())) {
        position++;
      }
      return text.substring(start, position);
    }

    private String quoted() {
      StringBuilder name = new StringBuilder();
      position++;
      while (!atEnd()) {
        char c = text.charAt(position++);
        if (c == '"') {
          if (peek('"')) {
            position++;
          } else {
            return name.toString();
          }
        }
        name.append(c);
      }
      throw new IllegalArgumentException("not a Trino type: " + text);
    }

    void skipSpaces() {
      while (!atEnd() && current() == ' ') {
        position++;
      }
    }

    boolean atEnd() {
      return position >= text.length();
    }

    private char current() {
      return atEnd() ? '\0' : text.charAt(position);
    }

    private boolean peek(char c) {
      return current() == c;
    }

    private boolean consume(char c) {
      if (peek(c)) {
        position++;
        return true;
      }
      return false;
    }

    private void expect(char c) {
      if (!consume(c)) {
        throw new IllegalArgumentException("not a Trino type: " + text);
      }
    }
  }
}
