package io.asof.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.server.ApiTokens.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestApiTokens {
  @TempDir Path dir;

  @Test
  void aTokensFileGivesEachTokenItsRole() throws IOException {
    Path file =
        write(
            """
            # name      role   token
            trainer     read   3f9c0a8d1e2b4c6f8a0b1c2d
            pipeline    WRITE  9a8b7c6d5e4f3a2b1c0d9e8f   # the ingestion job

            ops         admin  0f1e2d3c4b5a69788796a5b4
            """);
    ApiTokens tokens = ApiTokens.load(file);
    assertThat(tokens.size()).isEqualTo(3);
    assertThat(tokens.find("9a8b7c6d5e4f3a2b1c0d9e8f"))
        .contains(new ApiTokens.Token("pipeline", Role.WRITE));
    assertThat(tokens.find("9a8b7c6d5e4f3a2b1c0d9e8")).isEmpty();
    assertThat(tokens.find("")).isEmpty();
    assertThat(Role.ADMIN.allows(Role.WRITE)).isTrue();
    assertThat(Role.WRITE.allows(Role.READ)).isTrue();
    assertThat(Role.READ.allows(Role.WRITE)).isFalse();
  }

  @Test
  void aBadLineIsNamedWithItsFileLineAndColumn() throws IOException {
    assertThatThrownBy(() -> ApiTokens.load(write("trainer read\n")))
        .hasMessageContaining("tokens.txt:1:1: expected 'name role token' (3 fields), got 2");
    assertThatThrownBy(
            () -> ApiTokens.load(write("# x\n  trainer reader 3f9c0a8d1e2b4c6f8a0b1c2d\n")))
        .hasMessageContaining("tokens.txt:2:11: unknown role reader: read, write or admin");
    assertThatThrownBy(() -> ApiTokens.load(write("trainer read short\n")))
        .hasMessageContaining("tokens.txt:1:14: token of trainer is 5 characters: use at least 16");
    assertThatThrownBy(
            () ->
                ApiTokens.load(
                    write("a read 3f9c0a8d1e2b4c6f8a0b1c2d\nb admin 3f9c0a8d1e2b4c6f8a0b1c2d\n")))
        .hasMessageContaining("tokens.txt:2:1: the token of b is also another name's");
    assertThatThrownBy(() -> ApiTokens.load(write("# nothing\n")))
        .hasMessageContaining("holds no tokens");
  }

  private Path write(String text) throws IOException {
    return Files.writeString(dir.resolve("tokens.txt"), text);
  }
}
