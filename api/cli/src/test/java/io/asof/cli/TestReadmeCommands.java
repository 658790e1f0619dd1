package io.asof.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * README.md stays true to the code: every {@code ./asof} command it shows parses against the real
 * command tree, its two commands are the ones CI runs, the repository files it quotes are quoted
 * verbatim, and every relative link in it and in docs/ leads to a file and heading that exist.
 */
class TestReadmeCommands {
  private static final Path ROOT = Path.of("../..");
  private static final Path README = ROOT.resolve("README.md");
  private static final Pattern FENCE = Pattern.compile("^\\s*```\\s*([\\w-]*)\\s*$");
  private static final Pattern INLINE_ASOF = Pattern.compile("`(\\./asof [^`]+)`");
  private static final Pattern LINK =
      Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern QUOTED_FILE =
      Pattern.compile("^-- (view|training_set): ([a-z0-9_]+)$");

  @Test
  void everyAsofCommandParses() {
    List<Command> commands = commands(read(README));
    // README shows some forty commands: an extraction that finds few has broken, not passed
    assertThat(commands).hasSizeGreaterThan(25);
    assertThat(commands)
        .extracting(command -> String.join(" ", command.words().subList(0, 2)))
        .contains("./asof quickstart", "./asof apply", "./asof training-set", "./asof serve");
    assertThat(parseProblems("README.md", commands)).isEmpty();
  }

  @Test
  void theTwoCommandsAreTheOnesCiRuns() {
    String readme = read(README);
    String section = readme.substring(readme.indexOf("\n## The two commands\n"));
    Block block =
        blocks(section).stream().filter(b -> b.language().equals("bash")).findFirst().orElseThrow();
    List<List<String>> two = commands(block).stream().map(Command::words).toList();
    assertThat(two).containsExactly(List.of("./asof", "quickstart"), List.of("./mvnw", "verify"));
    // CI may add batch mode (-B) and options of its own after them, nothing else
    List<List<String>> ci =
        commands(new Block("bash", 1, read(ROOT.resolve(".ci/run")).lines().toList())).stream()
            .map(command -> command.words().stream().filter(word -> !word.equals("-B")).toList())
            .toList();
    for (List<String> command : two) {
      assertThat(ci)
          .as(".ci/run runs %s", String.join(" ", command))
          .anyMatch(
              words ->
                  words.size() >= command.size()
                      && words.subList(0, command.size()).equals(command));
    }
  }

  @Test
  void quotedRepositoryFilesAreVerbatim() throws IOException {
    Set<String> kinds = new HashSet<>();
    for (Block block : blocks(read(README))) {
      if (!block.language().equals("sql") || block.lines().isEmpty()) {
        continue;
      }
      Matcher header = QUOTED_FILE.matcher(block.lines().getFirst());
      if (!header.matches()) {
        continue;
      }
      String directory = header.group(1).equals("view") ? "views" : "training_sets";
      Path file =
          ROOT.resolve("sql-features/examples/news")
              .resolve(directory)
              .resolve(header.group(2) + ".sql");
      assertThat(file).as("README.md:%d quotes %s", block.line(), file).isRegularFile();
      assertThat(String.join("\n", block.lines()))
          .as("README.md:%d quotes %s verbatim", block.line(), file)
          .isEqualTo(Files.readString(file).stripTrailing());
      kinds.add(header.group(1));
    }
    assertThat(kinds)
        .as("README shows a real feature view and a real training set")
        .containsExactlyInAnyOrder("view", "training_set");
  }

  @Test
  void everyRelativeLinkLeadsToAFileAndHeading() throws IOException {
    List<String> problems = new ArrayList<>(linkProblems(README));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      for (Path doc : docs.filter(path -> path.toString().endsWith(".md")).sorted().toList()) {
        problems.addAll(linkProblems(doc));
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void findsARenamedCommandAMissingFileAndAMissingHeading(@TempDir Path directory)
      throws IOException {
    Path markdown = directory.resolve("BROKEN.md");
    Files.writeString(
        markdown,
        """
        # Broken

        ```bash
        ./asof training-set build click_model --no-such-option   # an option that is not there
        ./asof no-such-command --repo x \\
          --more
        ./asof local status --json                              # fine
        ```

        Stop it with `./asof local downn`; see [the docs](missing.md), [here](#broken) and
        [there](#no-such-heading).
        """);
    List<Command> commands = commands(read(markdown));
    assertThat(commands)
        .extracting(Command::line, command -> String.join(" ", command.words()))
        .containsExactly(
            tuple(4, "./asof training-set build click_model --no-such-option"),
            tuple(5, "./asof no-such-command --repo x --more"),
            tuple(7, "./asof local status --json"),
            tuple(10, "./asof local downn"));
    assertThat(parseProblems("BROKEN.md", commands))
        .hasSize(3)
        .anySatisfy(
            problem -> assertThat(problem).startsWith("BROKEN.md:4: ").contains("--no-such-option"))
        .anySatisfy(
            problem -> assertThat(problem).startsWith("BROKEN.md:5: ").contains("no-such-command"))
        .anySatisfy(problem -> assertThat(problem).startsWith("BROKEN.md:10: ").contains("downn"));
    assertThat(linkProblems(markdown))
        .hasSize(2)
        .anySatisfy(problem -> assertThat(problem).contains("missing.md"))
        .anySatisfy(problem -> assertThat(problem).contains("#no-such-heading"));
  }

  /**
   * A command line of a Markdown file: its first line there and its words, as a shell splits them.
   */
  record Command(int line, List<String> words) {}

  /** A fenced code block: its language, the line of its first content line, and its lines. */
  record Block(String language, int line, List<String> lines) {}

  /** The {@code ./asof} commands of the bash blocks, and of inline code spans in the prose. */
  static List<Command> commands(String markdown) {
    List<Command> commands = new ArrayList<>();
    for (Block block : blocks(markdown)) {
      if (block.language().equals("bash")) {
        commands.addAll(commands(block).stream().filter(TestReadmeCommands::isAsof).toList());
      }
    }
    List<String> prose = prose(markdown);
    String text = String.join("\n", prose);
    Matcher span = INLINE_ASOF.matcher(text);
    while (span.find()) {
      String code = span.group(1);
      // an inline span with placeholders ([--option N], ..., <value>) describes, it does not run
      if (code.contains("[") || code.contains("...") || code.contains("<")) {
        continue;
      }
      int line = (int) text.substring(0, span.start()).chars().filter(c -> c == '\n').count() + 1;
      commands.addAll(
          commands(new Block("bash", line, List.of(code.replace('\n', ' ')))).stream()
              .filter(TestReadmeCommands::isAsof)
              .toList());
    }
    commands.sort(java.util.Comparator.comparingInt(Command::line));
    return commands;
  }

  private static boolean isAsof(Command command) {
    return command.words().size() > 1 && command.words().getFirst().equals("./asof");
  }

  /**
   * The commands of a shell script, split as a shell would: quotes, backslash escapes and line
   * continuations, comments, and {@code && || ; |} and new lines between commands.
   */
  static List<Command> commands(Block block) {
    List<Command> commands = new ArrayList<>();
    String text = String.join("\n", block.lines()) + "\n";
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    int line = block.line();
    int start = line;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\'' || c == '"') {
        int end = text.indexOf(c, i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("unclosed quote at line " + line);
        }
        String quoted = text.substring(i + 1, end);
        line += (int) quoted.chars().filter(ch -> ch == '\n').count();
        word = (word == null ? new StringBuilder() : word).append(quoted);
        i = end;
      } else if (c == '\\' && i + 1 < text.length()) {
        char next = text.charAt(++i);
        if (next == '\n') {
          line++;
        } else {
          word = (word == null ? new StringBuilder() : word).append(next);
        }
      } else if (c == '#' && word == null) {
        i = text.indexOf('\n', i) - 1;
      } else if (c == ' ' || c == '\t') {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
      } else if (c == '\n' || c == ';' || c == '|' || c == '&') {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
        if (!words.isEmpty()) {
          commands.add(new Command(start, List.copyOf(words)));
          words.clear();
        }
        if (c == '\n') {
          line++;
        }
        start = line;
      } else {
        if (word == null && words.isEmpty()) {
          start = line;
        }
        word = (word == null ? new StringBuilder() : word).append(c);
      }
    }
    return commands;
  }

  /** Each command that picocli refuses against the real command tree, with its file and line. */
  static List<String> parseProblems(String file, List<Command> commands) {
    List<String> problems = new ArrayList<>();
    for (Command command : commands) {
      List<String> arguments = command.words().subList(1, command.words().size());
      try {
        new CommandLine(new Asof()).parseArgs(arguments.toArray(String[]::new));
      } catch (CommandLine.ParameterException e) {
        problems.add(
            "%s:%d: %s: %s"
                .formatted(
                    file, command.line(), String.join(" ", command.words()), e.getMessage()));
      }
    }
    return problems;
  }

  /** Each relative link of a Markdown file whose file, or heading in it, does not exist. */
  static List<String> linkProblems(Path markdown) {
    List<String> problems = new ArrayList<>();
    List<String> prose = prose(read(markdown));
    Path name = markdown.startsWith(ROOT) ? ROOT.relativize(markdown) : markdown.getFileName();
    for (int i = 0; i < prose.size(); i++) {
      Matcher link = LINK.matcher(prose.get(i));
      while (link.find()) {
        String target = link.group(1);
        if (SCHEME.matcher(target).find()) {
          continue;
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? "" : target.substring(hash + 1);
        Path file = path.isEmpty() ? markdown : markdown.getParent().resolve(path).normalize();
        String where = "%s:%d: %s".formatted(name, i + 1, target);
        if (!Files.exists(file)) {
          problems.add(where + ": no such file " + file);
        } else if (!anchor.isEmpty()
            && file.toString().endsWith(".md")
            && !anchors(read(file)).contains(anchor)) {
          problems.add(where + ": no heading #" + anchor + " in " + file);
        }
      }
    }
    return problems;
  }

  /** The anchors GitHub gives a Markdown file's headings. */
  static Set<String> anchors(String markdown) {
    Set<String> anchors = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    for (String line : prose(markdown)) {
      Matcher heading = HEADING.matcher(line);
      if (!heading.matches()) {
        continue;
      }
      String slug =
          heading
              .group(1)
              .replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1")
              .toLowerCase(Locale.ROOT)
              .replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "")
              .replace(' ', '-');
      int count = seen.merge(slug, 1, Integer::sum);
      anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
    }
    return anchors;
  }

  /** The fenced code blocks of a Markdown text. */
  static List<Block> blocks(String markdown) {
    List<Block> blocks = new ArrayList<>();
    List<String> lines = markdown.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      Matcher open = FENCE.matcher(lines.get(i));
      if (!open.matches()) {
        continue;
      }
      int first = i + 1;
      int close = first;
      while (close < lines.size() && !lines.get(close).strip().equals("```")) {
        close++;
      }
      String indent = lines.get(i).substring(0, lines.get(i).indexOf('`'));
      blocks.add(
          new Block(
              open.group(1),
              first + 1,
              lines.subList(first, close).stream()
                  .map(line -> line.startsWith(indent) ? line.substring(indent.length()) : line)
                  .toList()));
      i = close;
    }
    return blocks;
  }

  /**
   * The lines of a Markdown text with its fenced code blocks blanked out, so lines keep their
   * numbers.
   */
  static List<String> prose(String markdown) {
    List<String> prose = new ArrayList<>();
    boolean fenced = false;
    for (String line : markdown.lines().toList()) {
      boolean fence = fenced ? line.strip().equals("```") : FENCE.matcher(line).matches();
      prose.add(fenced || fence ? "" : line);
      if (fence) {
        fenced = !fenced;
      }
    }
    return prose;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
