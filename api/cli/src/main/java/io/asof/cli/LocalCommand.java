package io.asof.cli;

import io.asof.local.LocalStack;
import io.asof.local.StackStatus;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code asof local up | down | status}: the embedded stack. */
@Command(
    name = "local",
    description = "Run the embedded local stack: Trino 476 with Iceberg, and DynamoDB Local.",
    subcommands = {LocalCommand.Up.class, LocalCommand.Down.class, LocalCommand.Status.class})
final class LocalCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "up",
      description =
          "Start the stack (what already runs is left as it is); returns when it takes writes.")
  static final class Up implements Runnable {
    @Mixin StackOptions options;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      long start = System.nanoTime();
      StackStatus status = options.stack(out::println).up();
      out.println(status.describe());
      out.printf(
          "Up in %.1f s. Stop it with: ./asof local down%n", (System.nanoTime() - start) / 1e9);
    }
  }

  @Command(
      name = "down",
      description = "Stop the stack's own processes; data stays in the state directory.")
  static final class Down implements Runnable {
    @Mixin StackOptions options;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      LocalStack stack = options.stack(out::println);
      if (!stack.down()) {
        out.println("The local stack was not running.");
      }
    }
  }

  @Command(name = "status", description = "Show what runs and where to connect.")
  static final class Status implements Runnable {
    @Mixin StackOptions options;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--json",
        description = "Print the status as one JSON object (see docs/cli.md) for other tools.")
    boolean json;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      // nothing but the JSON on stdout
      PrintWriter progress = json ? spec.commandLine().getErr() : out;
      StackStatus status = options.stack(progress::println).status();
      out.println(json ? status.toJson() : status.describe());
    }
  }
}
