package io.asof.cli;

import io.asof.model.Durations;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How a backfill job is cut and run; backfill and materialize share them. */
final class ChunkOptions {
  @Option(
      names = "--chunk",
      paramLabel = "DURATION",
      defaultValue = "7d",
      description = "The time range of one commit, at most 100d (default: ${DEFAULT-VALUE}).")
  String chunk = "7d";

  @Option(
      names = "--parallel",
      paramLabel = "N",
      defaultValue = "2",
      description =
          "Chunks computed at once; commits stay in time order (default: ${DEFAULT-VALUE}).")
  int parallel = 2;

  /** {@code option}'s duration; {@code 0} is none. */
  static Duration duration(String option, String text) {
    if (text.strip().equals("0")) {
      return Duration.ZERO;
    }
    return Durations.parse(text)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "%s '%s' does not parse: %s".formatted(option, text, Durations.HINT)));
  }

  Duration chunk() {
    return duration("--chunk", chunk);
  }
}
