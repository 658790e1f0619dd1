package io.asof.push.client;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;

/** Writes rows as JSON objects without a JSON library: the few value kinds rows hold. */
final class NdJson {
  private NdJson() {}

  static void writeRow(StringBuilder out, Map<String, ?> row) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, ?> entry : row.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      string(out, entry.getKey());
      out.append(':');
      value(out, entry.getKey(), entry.getValue());
    }
    out.append('}');
  }

  private static void value(StringBuilder out, String column, Object value) {
    switch (value) {
      case null -> out.append("null");
      case Boolean b -> out.append(b);
      case Double d when d.isNaN() || d.isInfinite() -> string(out, d.toString());
      case Float f when f.isNaN() || f.isInfinite() -> string(out, f.toString());
      case BigDecimal d -> out.append(d.toPlainString());
      case Long _, Integer _, Short _, Byte _, Double _, Float _, BigInteger _ -> out.append(value);
      case CharSequence text -> string(out, text.toString());
      case Instant instant ->
          string(out, LocalDateTime.ofInstant(instant, ZoneOffset.UTC).toString());
      case OffsetDateTime time ->
          string(out, time.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime().toString());
      case ZonedDateTime time ->
          string(out, time.withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime().toString());
      case LocalDateTime time -> string(out, time.toString());
      case LocalDate day -> string(out, day.toString());
      default ->
          throw new IllegalArgumentException(
              "column %s holds a %s; rows take numbers, strings, booleans, null and java.time values"
                  .formatted(column, value.getClass().getName()));
    }
  }

  static void string(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append("\\u%04x".formatted((int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** A JSON string's content with its escapes resolved. */
  static String unescape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\\' || i + 1 == text.length()) {
        out.append(c);
        continue;
      }
      char next = text.charAt(++i);
      switch (next) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'u' -> {
          if (i + 4 < text.length()) {
            out.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
            i += 4;
          }
        }
        default -> out.append(next);
      }
    }
    return out.toString();
  }
}
