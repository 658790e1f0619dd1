package io.asof.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code asof completion}: the bash/zsh completion script of the whole command tree. */
@Command(
    name = "completion",
    description =
        "Print a bash/zsh completion script for asof (commands, subcommands, options): source <(./asof completion), or save it and source it from ~/.bashrc or ~/.zshrc.")
final class CompletionCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    CommandLine root = spec.root().commandLine();
    spec.commandLine().getOut().print(AutoComplete.bash(root.getCommandName(), root));
    spec.commandLine().getOut().flush();
  }
}
