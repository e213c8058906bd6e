package dev.portcullis.postgres.proxy;

import dev.portcullis.gateway.protocol.Decision;
import dev.portcullis.gateway.protocol.ResultColumn;
import dev.portcullis.gateway.protocol.ResultMasker;
import dev.portcullis.postgres.wire.BackendType;
import dev.portcullis.postgres.wire.Frame;
import io.netty.buffer.Unpooled;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;

/**
 * Masks COPY ... TO STDOUT rows (PostgreSQL sends one row per CopyData) in text format (tab separated, backslash
 * escapes, \N for NULL) or CSV format (comma separated, double quotes, empty unquoted field for NULL). Column names
 * are not on the wire for COPY: the masker sees the columns named in the statement when it lists them, else
 * unnamed columns, so content detectors apply everywhere and name rules only with a column list.
 */
final class CopyRowRewriter {
  private final ResultMasker masker;
  private final boolean csv;
  private final Charset charset;

  private CopyRowRewriter(ResultMasker masker, boolean csv, Charset charset) {
    this.masker = masker;
    this.csv = csv;
    this.charset = charset;
  }

  /** The rewriter for COPY rows with these (possibly unknown, empty) column names; null when nothing is masked. */
  static CopyRowRewriter of(Decision decision, List<String> columnNames, boolean csv, Charset charset) {
    List<ResultColumn> columns = new ArrayList<>();
    for (String name : columnNames) columns.add(new ResultColumn(name, null));
    ResultMasker masker = decision.masker(columns);
    return masker.passThrough() ? null : new CopyRowRewriter(masker, csv, charset);
  }

  Frame rewrite(Frame data) {
    String line = data.content().toString(charset);
    boolean newline = line.endsWith("\n");
    List<String> values = csv ? splitCsv(newline ? line.substring(0, line.length() - 1) : line)
        : splitText(newline ? line.substring(0, line.length() - 1) : line);
    boolean changed = false;
    for (int i = 0; i < values.size(); i++) {
      String value = values.get(i);
      if (value == null) continue;
      String masked = masker.mask(i, value);
      if (!java.util.Objects.equals(masked, value)) {
        values.set(i, masked);
        changed = true;
      }
    }
    if (!changed) return data;
    StringBuilder out = new StringBuilder(line.length() + 16);
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) out.append(csv ? ',' : '\t');
      String value = values.get(i);
      if (csv) {
        if (value != null) out.append(quoteCsv(value));
      } else {
        out.append(value == null ? "\\N" : escapeText(value));
      }
    }
    if (newline) out.append('\n');
    data.release();
    return new Frame(BackendType.COPY_DATA, Unpooled.wrappedBuffer(out.toString().getBytes(charset)));
  }

  static List<String> splitText(String line) {
    List<String> values = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean isNull = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\t') {
        values.add(isNull ? null : field.toString());
        field.setLength(0);
        isNull = false;
      } else if (c == '\\' && i + 1 < line.length()) {
        char e = line.charAt(++i);
        switch (e) {
          case 'N' -> isNull = true;
          case 't' -> field.append('\t');
          case 'n' -> field.append('\n');
          case 'r' -> field.append('\r');
          case 'b' -> field.append('\b');
          case 'f' -> field.append('\f');
          case 'v' -> field.append('\u000b');
          default -> field.append(e);
        }
      } else {
        field.append(c);
      }
    }
    values.add(isNull ? null : field.toString());
    return values;
  }

  static List<String> splitCsv(String line) {
    List<String> values = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
        wasQuoted = true;
      } else if (c == ',') {
        values.add(field.length() == 0 && !wasQuoted ? null : field.toString());
        field.setLength(0);
        wasQuoted = false;
      } else {
        field.append(c);
      }
    }
    values.add(field.length() == 0 && !wasQuoted ? null : field.toString());
    return values;
  }

  /** Quotes a CSV value when it must be (an empty string is quoted so that it stays distinct from NULL). */
  private static String quoteCsv(String value) {
    boolean plain = !value.isEmpty();
    for (int i = 0; i < value.length() && plain; i++) {
      char c = value.charAt(i);
      plain = c != ',' && c != '"' && c != '\n' && c != '\r';
    }
    return plain ? value : '"' + value.replace("\"", "\"\"") + '"';
  }

  private static String escapeText(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
