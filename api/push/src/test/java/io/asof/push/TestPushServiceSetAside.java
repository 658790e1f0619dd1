package io.asof.push;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.asof.push.log.PushLog;
import io.asof.push.log.PushLogConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches in the push log of a view that is no longer a push view: moved aside into files under the
 * log's directory at start, and the log released past them, instead of kept for ever.
 */
class TestPushServiceSetAside {
  @TempDir Path dir;

  @Test
  void batchesOfAViewNoLongerPushedAreMovedAsideAndTheLogIsReleasedPastThem() throws IOException {
    Path logDir = dir.resolve("push-log");
    List<String> bodies = new ArrayList<>();
    // one push per segment file, so releasing them deletes files
    try (PushLog log = PushLog.open(logDir, PushLogConfig.defaults().withSegmentBytes(1024))) {
      for (int i = 1; i <= 3; i++) {
        String body =
            "{\"id\": %d, \"at\": \"2026-12-04T10:00:00\", \"note\": \"%s\"}\n"
                .formatted(i, "x".repeat(800));
        bodies.add(body);
        log.append("gone", 1, ("N" + body).getBytes(UTF_8));
      }
    }
    assertThat(files(logDir, ".wal")).hasSize(3);

    open(logDir).close();

    Path aside = logDir.resolve(PushService.SET_ASIDE_DIR);
    assertThat(files(aside, ""))
        .containsExactly(
            "push-00000000000000000001-gone@1.ndjson",
            "push-00000000000000000002-gone@1.ndjson",
            "push-00000000000000000003-gone@1.ndjson");
    for (int i = 1; i <= 3; i++) {
      assertThat(Files.readString(aside.resolve("push-%020d-gone@1.ndjson".formatted(i)), UTF_8))
          .isEqualTo(bodies.get(i - 1));
    }
    // released through the last of them: the segments before the one last written are gone
    assertThat(Files.readString(logDir.resolve("released")).strip()).isEqualTo("3");
    assertThat(files(logDir, ".wal")).containsExactly("push-00000000000000000003.wal");

    // the next start replays none of them, so sets nothing aside again
    try (Stream<Path> written = Files.list(aside)) {
      written.forEach(TestPushServiceSetAside::delete);
    }
    Files.delete(aside);
    open(logDir).close();
    assertThat(aside).doesNotExist();
  }

  private PushService open(Path logDir) {
    return PushService.open(
        PushConfig.defaults(logDir, dir.resolve("staging"), URI.create("local:///staging")),
        new NoEngine(),
        Optional.empty(),
        new NoPushViews(),
        PushListener.NONE,
        Clock.systemUTC());
  }

  private static List<String> files(Path directory, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(suffix))
          .sorted()
          .toList();
    }
  }

  private static void delete(Path path) {
    try {
      Files.delete(path);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A registry where no view is a push view (any more). */
  private static final class NoPushViews implements PushService.Views {
    @Override
    public PushView current(String view) {
      throw new PushRejectedException(404, "unknown view " + view);
    }

    @Override
    public Optional<PushView> version(String view, int version) {
      return Optional.empty();
    }
  }
}
