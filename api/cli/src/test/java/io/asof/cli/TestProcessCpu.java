package io.asof.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TestProcessCpu {
  @Test
  void readsThisProcessAndItsBusiestThreadOfAName() {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "no /proc here (not Linux)");
    OptionalLong self = OptionalLong.of(ProcessHandle.current().pid());
    ProcessCpu before = ProcessCpu.read(self, "cpu-burner").orElseThrow();
    Thread burner =
        Thread.ofPlatform()
            .name("cpu-burner")
            .start(
                () -> {
                  long end = System.nanoTime() + 300_000_000L;
                  double x = 0;
                  while (System.nanoTime() < end) {
                    x += Math.sqrt(x + 1);
                  }
                  assertThat(x).isPositive();
                });
    ProcessCpu during = before;
    while (burner.isAlive()) {
      during = ProcessCpu.read(self, "cpu-burner").orElseThrow();
    }
    ProcessCpu spent = during.minus(before);
    assertThat(spent.threadNanos()).isPositive().isLessThanOrEqualTo(spent.totalNanos());
    assertThat(ProcessCpu.read(self, "no-thread-has-this-name").orElseThrow().threadNanos())
        .isZero();
  }

  @Test
  void isEmptyWithoutAProcess() {
    assertThat(ProcessCpu.read(OptionalLong.empty(), "x")).isEqualTo(Optional.empty());
    assertThat(ProcessCpu.read(OptionalLong.of(Long.MAX_VALUE), "x")).isEmpty();
  }
}
