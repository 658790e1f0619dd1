package io.asof.athena.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Column types of Athena's Hive-style DDL ({@code string}, {@code int}, {@code array<struct<a:
 * bigint>>}) translated to Trino's ({@code varchar}, {@code integer}, {@code array(row(a
 * bigint))}).
 */
final class HiveTypes {
  private HiveTypes() {}

  /**
   * The Trino type of a Hive type: {@code string} is {@code varchar}, {@code int} {@code integer},
   * {@code timestamp} {@code timestamp(6)} (Iceberg keeps microseconds), {@code float} {@code
   * real}, {@code binary} {@code varbinary}, {@code array<T>}, {@code map<K,V>} and {@code
   * struct<a:T>} their Trino forms; the rest ({@code bigint}, {@code double}, {@code decimal(p,s)},
   * {@code date}, {@code boolean}, ...) unchanged.
   *
   * @throws IllegalArgumentException if {@code hiveType} is not a Hive type
   */
  static String toTrino(String hiveType) {
    Parser parser = new Parser(SqlLexer.tokens(hiveType));
    String trino = parser.type();
    if (!parser.atEnd()) {
      throw new IllegalArgumentException("not a Hive column type: " + hiveType);
    }
    return trino;
  }

  private static final class Parser {
    private final List<SqlToken> tokens;
    private int position;

    Parser(List<SqlToken> tokens) {
      this.tokens = tokens.stream().filter(SqlToken::significant).toList();
    }

    String type() {
      SqlToken first = next();
      if (first == null || first.kind() != SqlToken.Kind.WORD) {
        throw new IllegalArgumentException("expected a column type, found " + first);
      }
      String name = first.text().toLowerCase(Locale.ROOT);
      switch (name) {
        case "array" -> {
          expect('<');
          String element = type();
          expect('>');
          return "array(" + element + ")";
        }
        case "map" -> {
          expect('<');
          String key = type();
          expect(',');
          String value = type();
          expect('>');
          return "map(" + key + ", " + value + ")";
        }
        case "struct" -> {
          expect('<');
          List<String> fields = new ArrayList<>();
          do {
            SqlToken field = next();
            if (field == null || !field.isIdentifier()) {
              throw new IllegalArgumentException("expected a struct field name, found " + field);
            }
            expect(':');
            fields.add(field.trinoIdentifier() + " " + type());
          } while (consume(','));
          expect('>');
          return "row(" + String.join(", ", fields) + ")";
        }
        default -> {
          String parameters = "";
          if (consume('(')) {
            List<String> numbers = new ArrayList<>();
            do {
              SqlToken number = next();
              if (number == null || number.kind() != SqlToken.Kind.NUMBER) {
                throw new IllegalArgumentException("expected a number, found " + number);
              }
              numbers.add(number.text());
            } while (consume(','));
            expect(')');
            parameters = "(" + String.join(", ", numbers) + ")";
          }
          return switch (name) {
            case "string" -> "varchar";
            case "int" -> "integer";
            case "float" -> "real";
            case "binary" -> "varbinary";
            case "timestamp" -> parameters.isEmpty() ? "timestamp(6)" : "timestamp" + parameters;
            default -> name + parameters;
          };
        }
      }
    }

    boolean atEnd() {
      return position >= tokens.size();
    }

    private SqlToken next() {
      return atEnd() ? null : tokens.get(position++);
    }

    private boolean consume(char symbol) {
      if (!atEnd() && tokens.get(position).isSymbol(symbol)) {
        position++;
        return true;
      }
      return false;
    }

    private void expect(char symbol) {
      if (!consume(symbol)) {
        throw new IllegalArgumentException(
            "expected '" + symbol + "', found " + (atEnd() ? "the end" : tokens.get(position)));
      }
    }
  }
}
