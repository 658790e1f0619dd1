package io.asof.cli;

import io.asof.engine.QueryEngineException;
import io.asof.jobs.NotFoundException;
import io.asof.local.StackException;
import io.asof.registry.LeaseHeldException;
import io.asof.registry.LeaseLostException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code asof} command: a SQL-first virtual feature store on Trino and Athena. */
@Command(
    name = "asof",
    version = "asof 0.1.0-SNAPSHOT (Trino 476)",
    description = "A SQL-first virtual feature store on Trino and Athena.",
    subcommands = {
      LocalCommand.class,
      QuickstartCommand.class,
      WarehouseCommand.class,
      RepositoryCommand.PlanCommand.class,
      RepositoryCommand.ApplyCommand.class,
      BackfillCommand.class,
      MaterializeCommand.class,
      RetireCommand.class,
      MaintainCommand.class,
      OnlineCommand.class,
      TrainingSetCommand.class,
      ServeCommand.class,
      DriftCommand.class,
      CostsCommand.class,
      PushCommand.class,
      BenchCommand.class,
      CompletionCommand.class
    })
public final class Asof implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  // every subcommand inherits it, and picocli answers it before checking the other arguments
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      scope = CommandLine.ScopeType.INHERIT,
      description = "Show this help message and exit.")
  boolean help;

  @Option(
      names = {"-V", "--version"},
      versionHelp = true,
      description = "Print version information and exit.")
  boolean version;

  public static void main(String[] args) {
    // what libraries log through java.util.logging (Trino's JDBC driver) goes to SLF4J's one
    // backend, as Asof's own lines do
    org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
    org.slf4j.bridge.SLF4JBridgeHandler.install();
    PrintWriter err =
        new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    int exit;
    try {
      exit =
          run(
              args,
              new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
              err);
    } catch (Throwable t) {
      // an Error picocli lets through (out of memory, a stack overflow) is a failure too, and
      // exits even while other threads (a server's) run
      t.printStackTrace(err);
      exit = 1;
    }
    System.exit(exit);
  }

  /**
   * Runs the command line; returns the exit code: 0 when it succeeded, 1 when it failed (a one-line
   * message on stderr for what a user can act on, else the stack trace), 2 when picocli refused the
   * command line (the message and the usage, or suggestions, on stderr).
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return commandLine(out, err).execute(args);
  }

  /** The whole command tree, printing to {@code out} and {@code err}. */
  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new Asof());
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExecutionExceptionHandler(
        (exception, line, parseResult) -> {
          // failures people can act on get one line; anything else is a bug and keeps its trace
          // (picocli prints it to stderr and exits 1)
          if (exception instanceof StackException
              || exception instanceof QueryEngineException
              || exception instanceof IllegalArgumentException
              || exception instanceof NotFoundException
              || exception instanceof LeaseHeldException
              || exception instanceof LeaseLostException) {
            line.getErr().println("asof: " + exception.getMessage());
            return 1;
          }
          throw exception;
        });
    return commandLine;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
