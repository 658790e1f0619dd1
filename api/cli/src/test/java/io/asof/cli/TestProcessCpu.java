package io.asof.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class TestProcessCpu {
  @Test
  void readsThisProcessAndItsBusiestThreadOfAName() throws InterruptedException {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "no /proc here (not Linux)");
    OptionalLong self = OptionalLong.of(ProcessHandle.current().pid());
    ProcessCpu before = ProcessCpu.read(self, "cpu-burner").orElseThrow();
    CountDownLatch burnt = new CountDownLatch(1);
    CountDownLatch measured = new CountDownLatch(1);
    Thread burner =
        Thread.ofPlatform()
            .name("cpu-burner")
            .start(
                () -> {
                  // 100 ms of this thread's own CPU, however busy the machine is
                  var threads = java.lang.management.ManagementFactory.getThreadMXBean();
                  double x = 0;
                  while (threads.getCurrentThreadCpuTime() < 100_000_000L) {
                    x += Math.sqrt(x + 1);
                  }
                  assertThat(x).isPositive();
                  burnt.countDown();
                  try {
                    measured.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    burnt.await();
    ProcessCpu during = ProcessCpu.read(self, "cpu-burner").orElseThrow();
    measured.countDown();
    burner.join();
    ProcessCpu spent = during.minus(before);
    // /proc counts in 10 ms ticks
    assertThat(spent.threadNanos())
        .isGreaterThanOrEqualTo(90_000_000L)
        .isLessThanOrEqualTo(spent.totalNanos());
    assertThat(ProcessCpu.read(self, "no-thread-has-this-name").orElseThrow().threadNanos())
        .isZero();
  }

  @Test
  void isEmptyWithoutAProcess() {
    assertThat(ProcessCpu.read(OptionalLong.empty(), "x")).isEqualTo(Optional.empty());
    assertThat(ProcessCpu.read(OptionalLong.of(Long.MAX_VALUE), "x")).isEmpty();
  }
}
