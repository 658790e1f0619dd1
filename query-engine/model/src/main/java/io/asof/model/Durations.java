package io.asof.model;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the durations headers use: a whole number and a unit, {@code 30d}, {@code 12h}. */
public final class Durations {
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})\\s*([smhdw])");

  /** What to write, for error messages. */
  public static final String HINT =
      "write a whole number and a unit, e.g. 30d, 12h or 90m (units: s, m, h, d, w)";

  private Durations() {}

  public static Optional<Duration> parse(String text) {
    Matcher matcher = DURATION.matcher(text.strip());
    if (!matcher.matches()) {
      return Optional.empty();
    }
    long amount = Long.parseLong(matcher.group(1));
    if (amount == 0) {
      return Optional.empty();
    }
    return Optional.of(
        switch (matcher.group(2)) {
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          case "h" -> Duration.ofHours(amount);
          case "d" -> Duration.ofDays(amount);
          case "w" -> Duration.ofDays(7 * amount);
          default -> throw new IllegalStateException(matcher.group(2));
        });
  }

  /** A duration as headers write it: {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s}. */
  public static String format(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds % 3_600 == 0) {
      return seconds / 3_600 + "h";
    }
    return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
  }
}
