package io.asof.compiler;

import io.asof.model.SourcePosition;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.sql.parser.SqlParserPos;

/** Maps positions inside a view's SQL to positions in its file. */
record Positions(SourcePosition sqlStart) {
  /** A statement's first word (group 1), past blank lines and comments. */
  static final Pattern FIRST_WORD =
      Pattern.compile("^(?:\\s|--[^\\n]*\\n|/\\*.*?\\*/)*([A-Za-z]+)", Pattern.DOTALL);

  SourcePosition start() {
    return sqlStart;
  }

  SourcePosition at(SqlParserPos pos) {
    return at(pos.getLineNum(), pos.getColumnNum());
  }

  SourcePosition at(int line, int column) {
    if (line < 1 || column < 1) {
      return sqlStart;
    }
    return new SourcePosition(
        sqlStart.file(),
        sqlStart.line() + line - 1,
        line == 1 ? sqlStart.column() + column - 1 : column);
  }

  SourcePosition ofOffset(String sql, int offset) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset; i++) {
      if (sql.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return at(line, offset - lineStart + 1);
  }

  /** Where the statement {@code sql}'s first word is, past blank lines and comments. */
  SourcePosition statementStart(String sql) {
    Matcher word = FIRST_WORD.matcher(sql);
    return word.find() ? ofOffset(sql, word.start(1)) : start();
  }
}
