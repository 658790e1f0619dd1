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

/** The {@code asof} command: a SQL-first virtual feature store on Trino and Athena. */
@Command(
    name = "asof",
    mixinStandardHelpOptions = true,
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
      BenchCommand.class
    })
public final class Asof implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // what libraries log through java.util.logging (Trino's JDBC driver) goes to SLF4J's one
    // backend, as Asof's own lines do
    org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
    org.slf4j.bridge.SLF4JBridgeHandler.install();
    System.exit(
        run(
            args,
            new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
            new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true)));
  }

  /** Runs the command line; returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new Asof());
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExecutionExceptionHandler(
        (exception, line, parseResult) -> {
          // failures people can act on get one line; anything else is a bug and keeps its trace
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
    return commandLine.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
