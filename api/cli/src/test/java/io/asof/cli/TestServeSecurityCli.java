package io.asof.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code serve} refuses before it starts anything: an address other machines can reach without
 * tokens (unless said knowingly), and where the registry password may come from.
 */
class TestServeSecurityCli {
  @TempDir Path dir;

  @Test
  void aReachableAddressWithoutTokensIsRefusedBeforeAnythingStarts() {
    CliRun run = CliRun.run("serve", "--host", "0.0.0.0", "--repo", dir.toString());
    assertThat(run.exit()).as(run.err()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "asof: --host 0.0.0.0 can be reached from other machines, and auth is off: give --tokens FILE",
            "--insecure-no-auth");
    assertThat(run.out()).doesNotContain("Asof serves");
  }

  @Test
  void loopbackServesWithoutTokensAndInsecureNoAuthWarnsLoudly() {
    StringWriter text = new StringWriter();
    PrintWriter err = new PrintWriter(text, true);
    for (String loopback : new String[] {"127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"}) {
      assertThat(ServeCommand.isLoopback(loopback)).as(loopback).isTrue();
      ServeCommand.checkBind(loopback, false, false, err);
    }
    for (String reachable : new String[] {"0.0.0.0", "::", "10.1.2.3", "192.168.0.1"}) {
      assertThat(ServeCommand.isLoopback(reachable)).as(reachable).isFalse();
      assertThatThrownBy(() -> ServeCommand.checkBind(reachable, false, false, err))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("auth is off");
      ServeCommand.checkBind(reachable, true, false, err); // tokens: fine
    }
    assertThat(text.toString()).isEmpty();
    ServeCommand.checkBind("0.0.0.0", false, true, err);
    assertThat(text.toString())
        .startsWith("WARNING: serving WITHOUT AUTH on 0.0.0.0 (--insecure-no-auth)");
  }

  @Test
  void theRegistryPasswordComesFromTheOptionAFileOrTheEnvironment() throws IOException {
    Path file = Files.writeString(dir.resolve("registry.password"), "s3cret\n");
    assertThat(RepositoryCommand.RepositoryOptions.registryPassword("given", null, "env"))
        .isEqualTo("given");
    assertThat(RepositoryCommand.RepositoryOptions.registryPassword(null, file, "env"))
        .isEqualTo("s3cret");
    assertThat(RepositoryCommand.RepositoryOptions.registryPassword(null, null, "env"))
        .isEqualTo("env");
    assertThat(RepositoryCommand.RepositoryOptions.registryPassword(null, null, null)).isEmpty();
    assertThatThrownBy(
            () -> RepositoryCommand.RepositoryOptions.registryPassword("given", file, null))
        .hasMessageContaining("give the registry password once");
    Path empty = Files.writeString(dir.resolve("empty"), "");
    assertThatThrownBy(
            () -> RepositoryCommand.RepositoryOptions.registryPassword(null, empty, null))
        .hasMessageContaining("is empty: write the password on its first line");
    assertThat(RepositoryCommand.RepositoryOptions.REGISTRY_PASSWORD_VARIABLE)
        .isEqualTo("ASOF_REGISTRY_PASSWORD");
  }
}
