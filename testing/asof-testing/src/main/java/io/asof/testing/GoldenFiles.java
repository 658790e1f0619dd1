package io.asof.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares generated text with a reviewed copy under {@code src/test/resources/golden/}. Run with
 * {@code -Dasof.golden.update=true} to rewrite the copies, then review the diff in git.
 */
public final class GoldenFiles {
  private static final Path ROOT = Path.of("src/test/resources/golden");

  private GoldenFiles() {}

  /** Asserts that {@code actual} equals the golden file {@code name}, or rewrites it on request. */
  public static void assertMatches(String name, String actual) {
    Path file = ROOT.resolve(name);
    String normalized = actual.strip() + "\n";
    try {
      if (Boolean.getBoolean("asof.golden.update")) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, normalized, StandardCharsets.UTF_8);
        return;
      }
      if (!Files.exists(file)) {
        throw new AssertionError(
            "no golden file "
                + file.toAbsolutePath()
                + ": run the test with -Dasof.golden.update=true to write it, then review it");
      }
      assertEquals(
          Files.readString(file, StandardCharsets.UTF_8),
          normalized,
          "generated SQL differs from " + file + " (-Dasof.golden.update=true rewrites it)");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
