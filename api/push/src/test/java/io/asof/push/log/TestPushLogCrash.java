package io.asof.push.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.asof.push.log.PushLog.Entry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process appending from several threads is killed (SIGKILL) twice while it writes; every append
 * it acknowledged is replayed with its payload. While it runs, its directory is locked.
 */
class TestPushLogCrash {
  private static final Pattern ACK = Pattern.compile("ack (\\d+) (\\d+)");

  @TempDir Path dir;

  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void everyAcknowledgedAppendSurvivesAKill() throws Exception {
    Map<Long, Long> acknowledged = new HashMap<>(); // sequence -> key
    for (int round = 1; round <= 2; round++) {
      int before = acknowledged.size();
      Path stderr = dir.resolve("child-" + round + ".err");
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx256m",
                  "-XX:+UseSerialGC",
                  "-cp",
                  System.getProperty("java.class.path"),
                  PushLogCrashChild.class.getName(),
                  dir.resolve("log").toString(),
                  Integer.toString(round),
                  "4")
              .redirectError(stderr.toFile())
              .start();
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          read(line, acknowledged);
          if (acknowledged.size() == before + 1) {
            // the directory is locked while the child has it open, also for another process
            assertThatThrownBy(() -> PushLog.open(dir.resolve("log"), PushLogCrashChild.CONFIG))
                .hasMessageContaining(
                    "is in use by another asof serve (process %d)".formatted(child.pid()));
          }
          if (acknowledged.size() >= before + 400) {
            // SIGKILL, through the handle: Process.destroyForcibly would close the pipe, with the
            // acknowledgements still in it
            child.toHandle().destroyForcibly();
            break;
          }
        }
        if (line == null) {
          fail("the child ended by itself: " + Files.readString(stderr));
        }
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // what it printed before it died was acknowledged too
        while ((line = out.readLine()) != null) {
          read(line, acknowledged);
        }
      } finally {
        child.destroyForcibly();
      }
    }

    try (PushLog log = PushLog.open(dir.resolve("log"), PushLogCrashChild.CONFIG)) {
      Map<Long, Entry> replayed = new HashMap<>();
      log.replay(0, entry -> replayed.put(entry.sequence(), entry));
      assertThat(replayed.keySet())
          .containsExactlyInAnyOrderElementsOf(
              LongStream.rangeClosed(1, log.lastSequence()).boxed().toList());
      assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(800);
      for (Map.Entry<Long, Long> ack : acknowledged.entrySet()) {
        Entry entry = replayed.get(ack.getKey());
        assertThat(entry).as("sequence %d", ack.getKey()).isNotNull();
        long key = ack.getValue();
        assertThat(entry.view()).isEqualTo("crash");
        assertThat(entry.version()).isEqualTo(key % 10_000_000 / 1_000_000);
        assertThat(entry.payload()).isEqualTo(PushLogCrashChild.payload(key));
      }
      assertThat(log.append("crash", 9, new byte[] {1})).isEqualTo(log.lastSequence());
      assertThat(List.copyOf(replayed.keySet())).hasSizeGreaterThanOrEqualTo(acknowledged.size());
    }
  }

  /** Notes an acknowledgement; lines cut short by the kill are left out. */
  private static void read(String line, Map<Long, Long> acknowledged) {
    Matcher matcher = ACK.matcher(line);
    if (matcher.matches()) {
      Long earlier =
          acknowledged.put(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)));
      assertThat(earlier).as("sequence %s acknowledged twice", matcher.group(1)).isNull();
    }
  }
}
