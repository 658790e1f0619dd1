package io.asof.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.server.ApiTokens.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
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
            ingest      push,build 1a2b3c4d5e6f7a8b9c0d1e2f
            """);
    ApiTokens tokens = ApiTokens.load(file);
    assertThat(tokens.size()).isEqualTo(4);
    assertThat(tokens.find("9a8b7c6d5e4f3a2b1c0d9e8f"))
        .contains(new ApiTokens.Token("pipeline", Role.WRITE));
    assertThat(tokens.find("1a2b3c4d5e6f7a8b9c0d1e2f"))
        .contains(new ApiTokens.Token("ingest", EnumSet.of(Role.PUSH, Role.BUILD)));
    assertThat(tokens.find("9a8b7c6d5e4f3a2b1c0d9e8")).isEmpty();
    assertThat(tokens.find("")).isEmpty();
    assertThat(tokens.withDeprecatedRoles()).containsExactly("pipeline");
    assertThat(Role.ADMIN.permissions()).containsExactlyInAnyOrder(Permission.values());
    assertThat(Role.WRITE.allows(Permission.PUSH)).isTrue();
    // read no longer runs ad-hoc SQL, and a model server's token reads online features only
    assertThat(Role.READ.allows(Permission.QUERY)).isFalse();
    assertThat(Role.ONLINE.permissions()).containsExactly(Permission.ONLINE);
    assertThat(Role.PUSH.permissions()).containsExactly(Permission.PUSH);
  }

  @Test
  void aTokensFileOthersCanReadIsWarnedAbout() throws IOException {
    Path file = write("ops admin 0f1e2d3c4b5a69788796a5b4\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(ApiTokens.permissionWarning(file))
        .hasValueSatisfying(
            warning ->
                assertThat(warning)
                    .contains("can be read by its group and every user", "chmod 600"));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertThat(ApiTokens.permissionWarning(file)).isEmpty();
  }

  @Test
  void aBadLineIsNamedWithItsFileLineAndColumn() throws IOException {
    assertThatThrownBy(() -> ApiTokens.load(write("trainer read\n")))
        .hasMessageContaining(
            "tokens.txt:1:1: expected 'name role[,role...] token' (3 fields), got 2");
    assertThatThrownBy(
            () -> ApiTokens.load(write("# x\n  trainer reader 3f9c0a8d1e2b4c6f8a0b1c2d\n")))
        .hasMessageContaining(
            "tokens.txt:2:11: unknown role reader: online, read, query, build, push, write, admin");
    assertThatThrownBy(
            () -> ApiTokens.load(write("trainer read,pusher 3f9c0a8d1e2b4c6f8a0b1c2d\n")))
        .hasMessageContaining("tokens.txt:1:9: unknown role pusher");
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
