package io.asof.cli;

import static io.asof.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asof.registry.JobCost;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.RegistryConfig;
import io.asof.registry.RegistryStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What every command of {@code asof} does alike: {@code -h}/{@code --help} before anything else,
 * the exit codes (0 success, 1 failure, 2 bad usage), errors on stderr, the completion script, the
 * {@code --json} of costs. Needs no stack.
 */
class TestCliConventions {
  /** Reads stdout as one JSON value: anything after it fails the test. */
  private static final ObjectMapper READER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final String VERSION = "asof 0.1.0-SNAPSHOT (Trino 476)\n";

  @Test
  void everyCommandAndSubcommandAnswersHelpBeforeCheckingItsArguments() {
    Map<String, CommandSpec> commands = new LinkedHashMap<>();
    walk(new CommandLine(new Asof()), "", commands);
    assertThat(commands.keySet())
        .as("the walk reaches nested subcommands")
        .contains(
            "local up",
            "online status",
            "training-set builds",
            "warehouse load",
            "bench query",
            "completion")
        .hasSizeGreaterThan(30);
    List<String> withRequiredArguments =
        commands.entrySet().stream()
            .filter(c -> c.getValue().args().stream().anyMatch(ArgSpec::required))
            .map(Map.Entry::getKey)
            .toList();
    assertThat(withRequiredArguments)
        .as("commands that refuse to run without an argument answer --help all the same")
        .contains("online enable", "online check", "training-set build", "push", "retire");
    for (String path : commands.keySet()) {
      for (String flag : List.of("--help", "-h")) {
        CliRun help = run((path + " " + flag).split(" "));
        assertThat(help.exit()).as("asof %s %s: %s", path, flag, help.err()).isZero();
        assertThat(help.out()).as("asof %s %s", path, flag).startsWith("Usage: asof " + path + " ");
        assertThat(help.out()).as("asof %s %s", path, flag).contains("-h, --help");
        assertThat(help.err()).as("asof %s %s", path, flag).isEmpty();
      }
    }
    // after arguments that would otherwise be refused first
    for (String[] args :
        List.of(
            new String[] {"push", "some_view", "--help"},
            new String[] {"backfill", "--from", "2026-01-01", "--help"},
            new String[] {"online", "check", "-h", "--sample", "5"})) {
      CliRun help = run(args);
      assertThat(help.exit()).as(String.join(" ", args)).isZero();
      assertThat(help.out()).startsWith("Usage: asof " + args[0]);
      assertThat(help.err()).isEmpty();
    }
  }

  /** Collects every subcommand under {@code line} by its path, depth first. */
  private static void walk(CommandLine line, String path, Map<String, CommandSpec> commands) {
    for (Map.Entry<String, CommandLine> sub : line.getSubcommands().entrySet()) {
      String subPath = path.isEmpty() ? sub.getKey() : path + " " + sub.getKey();
      commands.put(subPath, sub.getValue().getCommandSpec());
      walk(sub.getValue(), subPath, commands);
    }
  }

  @Test
  void withoutHelpASubcommandMissingItsParameterIsBadUsage() {
    // what the help test above must get past: these are refused without --help
    CliRun enable = run("online", "enable");
    assertThat(enable.exit()).isEqualTo(2);
    assertThat(enable.err()).startsWith("Missing required parameter: 'VIEW'");
    assertThat(enable.out()).isEmpty();
    CliRun push = run("push", "some_view");
    assertThat(push.exit()).isEqualTo(2);
    assertThat(push.err()).startsWith("Missing required option: '--file=FILE'");
  }

  @Test
  void theTopLevelAnswersHelpAndVersion() {
    for (String flag : List.of("--help", "-h")) {
      CliRun help = run(flag);
      assertThat(help.exit()).isZero();
      assertThat(help.out())
          .startsWith("Usage: asof [-hV] [COMMAND]")
          .contains("-V, --version")
          .contains("completion");
      assertThat(help.err()).isEmpty();
    }
    for (String flag : List.of("--version", "-V")) {
      CliRun version = run(flag);
      assertThat(version.exit()).isZero();
      assertThat(version.out()).isEqualTo(VERSION);
      assertThat(version.err()).isEmpty();
    }
    // a subcommand's own version is not a thing
    assertThat(run("local", "-V").exit()).isEqualTo(2);
  }

  @Test
  void badUsageExitsTwoWithTheErrorOnStderr() {
    CliRun unknownOption = run("costs", "--kindd", "online");
    assertThat(unknownOption.exit()).isEqualTo(2);
    assertThat(unknownOption.err())
        .startsWith("Unknown options: '--kindd', 'online'")
        .contains("Possible solutions: --kind");
    assertThat(unknownOption.out()).isEmpty();

    CliRun unknownSubcommand = run("online", "enabel", "v");
    assertThat(unknownSubcommand.exit()).isEqualTo(2);
    assertThat(unknownSubcommand.err()).contains("Unmatched arguments from index 1: 'enabel', 'v'");
    assertThat(unknownSubcommand.out()).isEmpty();

    CliRun notANumber = run("costs", "--last", "many");
    assertThat(notANumber.exit()).isEqualTo(2);
    assertThat(notANumber.err())
        .startsWith("Invalid value for option '--last': 'many' is not an int")
        .contains("Usage: asof costs");
    assertThat(notANumber.out()).isEmpty();

    CliRun noSubcommand = run("online");
    assertThat(noSubcommand.exit()).isEqualTo(2);
    assertThat(noSubcommand.err()).startsWith("name what to do: enable, disable, check or status");
    assertThat(noSubcommand.out()).isEmpty();
  }

  @Test
  void aFailureExitsOneWithOneLineOnStderr(@TempDir Path state) {
    CliRun refused = run("costs", "--last", "0", "--state-dir", state.toString());
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).isEqualTo("asof: --last must be at least 1, not 0\n");
    assertThat(refused.out()).isEmpty();
    CliRun jsonWithoutList =
        run("backfill", "some_view", "--json", "--state-dir", state.toString());
    assertThat(jsonWithoutList.exit()).isEqualTo(1);
    assertThat(jsonWithoutList.err())
        .isEqualTo(
            "asof: --json goes with --list (./asof backfill VIEW --list --json); a backfill prints its progress as text\n");
    assertThat(jsonWithoutList.out()).isEmpty();
  }

  @Test
  void anUnexpectedExceptionExitsOneWithItsStackTraceOnStderr() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = Asof.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
    line.addSubcommand("broken", new Broken());
    // to the subcommand added last too
    line.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    assertThat(line.execute("broken")).isEqualTo(1);
    assertThat(err.toString())
        .startsWith("java.lang.IllegalStateException: a bug")
        .contains("at io.asof.cli.TestCliConventions$Broken.run");
    assertThat(out.toString()).isEmpty();
  }

  /** A command with a bug. */
  @Command(name = "broken")
  static final class Broken implements Runnable {
    @Override
    public void run() {
      throw new IllegalStateException("a bug");
    }
  }

  @Test
  void completionPrintsABashScriptThatCompletesCommandsSubcommandsAndOptions(@TempDir Path dir)
      throws IOException, InterruptedException {
    CliRun completion = run("completion");
    assertThat(completion.exit()).isZero();
    assertThat(completion.err()).isEmpty();
    assertThat(completion.out()).startsWith("#!/usr/bin/env bash");
    Path script = dir.resolve("asof_completion");
    Files.writeString(script, completion.out());

    assertThat(shell("bash", "-n", script.toString())).isEqualTo(new Shell(0, ""));
    assertThat(shell("bash", "-c", "source '" + script + "' && complete -p asof"))
        .isEqualTo(new Shell(0, "complete -o default -F _complete_asof asof\n"));
    // what TAB would offer: bash calls the function with the words typed so far
    assertThat(complete(script, "asof", "bac")).isEqualTo("backfill");
    assertThat(complete(script, "asof", "online", "st")).isEqualTo("status");
    assertThat(complete(script, "asof", "local", "status", "--j")).isEqualTo("--json");
    assertThat(complete(script, "asof", "drift", "--he")).isEqualTo("--help");
  }

  private static String complete(Path script, String... words)
      throws IOException, InterruptedException {
    String typed = String.join(" ", words);
    Shell shell =
        shell(
            "bash",
            "-c",
            """
            source '%s' 2>/dev/null
            COMP_WORDS=(%s); COMP_CWORD=%d; COMP_LINE='%s'; COMP_POINT=${#COMP_LINE}
            _complete_asof 2>/dev/null
            echo "${COMPREPLY[@]}"
            """
                .formatted(script, typed, words.length - 1, typed));
    assertThat(shell.exit()).as(shell.output()).isZero();
    return shell.output().strip();
  }

  /** A finished process: its exit code and what it printed (stdout and stderr). */
  private record Shell(int exit, String output) {}

  private static Shell shell(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Shell(process.exitValue(), output);
  }

  @Test
  void costsAsJson(@TempDir Path state) throws IOException {
    CliRun none = run("costs", "--json", "--state-dir", state.toString());
    assertThat(none.exit()).as(none.err()).isZero();
    JsonNode empty = READER.readTree(none.out());
    assertThat(empty.get("costs").isArray()).isTrue();
    assertThat(empty.get("costs")).isEmpty();
    assertThat(empty.get("total_cost_usd").asDouble()).isZero();

    Instant at = Instant.parse("2026-03-01T10:00:00.123456Z");
    try (RegistryStore registry = JooqRegistryStore.open(RegistryConfig.embedded(state))) {
      registry.recordCost(
          new JobCost(
              "backfill",
              "bf0123abcd",
              "athena",
              12,
              3_000_000_000L,
              OptionalDouble.of(0.0143),
              Duration.ofMillis(4321),
              at));
      registry.recordCost(
          new JobCost(
              "online",
              "user_profile",
              "trino",
              2,
              1024,
              OptionalDouble.empty(),
              Duration.ofMillis(250),
              at.plusSeconds(60)));
    }
    CliRun all = run("costs", "--json", "--state-dir", state.toString());
    assertThat(all.exit()).as(all.err()).isZero();
    assertThat(all.err()).isEmpty();
    JsonNode json = READER.readTree(all.out());
    assertThat(json.get("costs")).hasSize(2);
    JsonNode newest = json.get("costs").get(0);
    assertThat(newest.get("recorded_at").asText()).isEqualTo("2026-03-01T10:01:00.123456Z");
    assertThat(newest.get("kind").asText()).isEqualTo("online");
    assertThat(newest.get("job").asText()).isEqualTo("user_profile");
    assertThat(newest.get("engine").asText()).isEqualTo("trino");
    assertThat(newest.get("statements").asLong()).isEqualTo(2);
    assertThat(newest.get("bytes_scanned").asLong()).isEqualTo(1024);
    assertThat(newest.get("cost_usd").isNull()).isTrue();
    assertThat(newest.get("elapsed_ms").asLong()).isEqualTo(250);
    JsonNode priced = json.get("costs").get(1);
    assertThat(priced.get("kind").asText()).isEqualTo("backfill");
    assertThat(priced.get("bytes_scanned").asLong()).isEqualTo(3_000_000_000L);
    assertThat(priced.get("cost_usd").asDouble()).isEqualTo(0.0143);
    assertThat(priced.get("elapsed_ms").asLong()).isEqualTo(4321);
    assertThat(json.get("total_cost_usd").asDouble()).isEqualTo(0.0143);
    assertThat(json.properties())
        .extracting(Map.Entry::getKey)
        .containsExactly("costs", "total_cost_usd");

    CliRun backfills =
        run(
            "costs",
            "--json",
            "--kind",
            "backfill",
            "--last",
            "5",
            "--state-dir",
            state.toString());
    JsonNode onlyBackfills = READER.readTree(backfills.out());
    assertThat(onlyBackfills.get("costs")).hasSize(1);
    assertThat(onlyBackfills.get("costs").get(0).get("job").asText()).isEqualTo("bf0123abcd");
  }
}
