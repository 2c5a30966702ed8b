package dev.recdata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every {@code recdata} and {@code recdata-submit} command in the README's code blocks parses
 * against the CLI as it is: an option renamed or removed fails here, not for the reader who copies
 * the line. Parsing only (no Spark): the placeholders ({@code <run_id>}, hosts) cannot run, and the
 * examples that do run are run by the tests and the harness they name.
 */
class ReadmeExamplesTest {
  private static final Path README = Path.of("..", "README.md");

  /** One command as a reader would paste it: the README line it starts on and its words. */
  record Example(int line, List<String> words) {}

  @Test
  void everyCommandInTheReadmeParses() throws IOException {
    List<Example> examples = examples(Files.readAllLines(README));
    assertThat(examples).as("README examples found").hasSizeGreaterThan(20);
    List<String> broken = new ArrayList<>();
    for (Example example : examples) {
      try {
        Recdata.commandLine().parseArgs(example.words().toArray(String[]::new));
      } catch (CommandLine.ParameterException e) {
        broken.add("README.md:" + example.line() + ": " + example.words() + ": " + e.getMessage());
      }
    }
    assertThat(broken).isEmpty();
  }

  @Test
  void aRenamedOptionIsCaught() {
    List<Example> planted =
        examples(
            List.of(
                "```bash",
                "submit/bin/recdata split --input a --out b \\",
                "  --ratio 0.8,0.1,0.1   # was --ratios",
                "```"));
    assertThat(planted).hasSize(1);
    assertThat(planted.get(0).words())
        .containsExactly("split", "--input", "a", "--out", "b", "--ratio", "0.8,0.1,0.1");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Recdata.commandLine().parseArgs(planted.get(0).words().toArray(String[]::new)))
        .isInstanceOf(CommandLine.UnmatchedArgumentException.class)
        .hasMessageContaining("--ratio");
  }

  /**
   * The recdata words of every command line in fenced code blocks: continuation lines joined,
   * comments and a trailing {@code &} dropped, and for {@code recdata-submit} what follows its
   * {@code --}.
   */
  static List<Example> examples(List<String> lines) {
    List<Example> examples = new ArrayList<>();
    boolean inCode = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("```")) {
        inCode = !inCode;
        continue;
      }
      String trimmed = line.strip();
      if (!inCode
          || !(trimmed.startsWith("submit/bin/recdata ")
              || trimmed.startsWith("submit/bin/recdata-submit "))) {
        continue;
      }
      int start = i;
      StringBuilder command = new StringBuilder(withoutComment(trimmed));
      while (command.toString().endsWith("\\") && i + 1 < lines.size()) {
        command.setLength(command.length() - 1);
        command.append(' ').append(withoutComment(lines.get(++i).strip()));
      }
      List<String> words = words(command.toString());
      if (!words.isEmpty() && words.get(words.size() - 1).equals("&")) {
        words.remove(words.size() - 1);
      }
      if (words.get(0).endsWith("recdata-submit")) {
        int dashes = words.indexOf("--");
        if (dashes < 0) {
          continue; // `recdata-submit --help` and the like: the script's own, tested elsewhere
        }
        words = words.subList(dashes + 1, words.size());
      } else {
        words = words.subList(1, words.size());
      }
      examples.add(new Example(start + 1, new ArrayList<>(words)));
    }
    return examples;
  }

  private static String withoutComment(String line) {
    int hash = line.indexOf(" #");
    return (hash >= 0 ? line.substring(0, hash) : line).strip();
  }

  /** Shell words: quotes group, {@code $(...)} stays one word with what is around it. */
  static List<String> words(String command) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    int substitution = 0;
    for (int i = 0; i < command.length(); i++) {
      char c = command.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (c == '$' && i + 1 < command.length() && command.charAt(i + 1) == '(') {
        substitution++;
        word.append("$(");
        i++;
        inWord = true;
      } else if (c == ')' && substitution > 0) {
        substitution--;
        word.append(c);
      } else if (Character.isWhitespace(c) && substitution == 0) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
