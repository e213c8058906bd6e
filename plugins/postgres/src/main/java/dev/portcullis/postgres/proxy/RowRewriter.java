package dev.portcullis.postgres.proxy;

import dev.portcullis.gateway.protocol.Decision;
import dev.portcullis.gateway.protocol.ResultColumn;
import dev.portcullis.gateway.protocol.ResultMasker;
import dev.portcullis.postgres.wire.BackendType;
import dev.portcullis.postgres.wire.Frame;
import dev.portcullis.postgres.wire.ProtocolViolation;
import dev.portcullis.postgres.wire.RowDescription;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Applies a {@link ResultMasker} to DataRow messages. Text-format values are masked as strings. In binary format,
 * text-like types (text, varchar, char, name, json, jsonb, xml) are masked as strings too; any other binary value
 * becomes NULL when its column is masked whatever its content (a column rule: the masker changes a probe value),
 * a bigint becomes NULL when the masker changes its decimal form (a detector, e.g. a card number stored as a
 * number), and the rest pass unchanged (no detector matches an int4, a date or a float). A row nothing changes in
 * is relayed as it came.
 */
final class RowRewriter {
  private static final int BIGINT = 20;

  /** A value no content detector matches: a masker that changes it masks the whole column. */
  private static final String PROBE = "portcullis column probe";

  private final ResultMasker masker;
  private final int[] formats;
  private final int[] types;
  private final Charset charset;

  private RowRewriter(ResultMasker masker, int[] formats, int[] types, Charset charset) {
    this.masker = masker;
    this.formats = formats;
    this.types = types;
    this.charset = charset;
  }

  /**
   * The rewriter for results described by {@code description}, or null when the decision masks none of it.
   * {@code tableName} names a column's source table by OID (null when unknown, which no table rule rules out).
   */
  static RowRewriter of(Decision decision, RowDescription description, IntFunction<String> tableName,
      Charset charset) {
    List<ResultColumn> columns = new ArrayList<>(description.fields().size());
    int[] formats = new int[description.fields().size()];
    int[] types = new int[formats.length];
    for (int i = 0; i < formats.length; i++) {
      RowDescription.Field f = description.fields().get(i);
      columns.add(new ResultColumn(f.name(), tableName.apply(f.tableOid())));
      formats[i] = f.format();
      types[i] = f.typeOid();
    }
    ResultMasker masker = decision.masker(columns);
    return masker.passThrough() ? null : new RowRewriter(masker, formats, types, charset);
  }

  /** The row to send: {@code row} itself when nothing changed (then not released), else a new frame. */
  Frame rewrite(Frame row, ByteBufAllocator alloc) {
    ByteBuf in = row.content();
    int count = in.getShort(in.readerIndex());
    if (count != formats.length) throw new ProtocolViolation("DataRow does not match its RowDescription");
    byte[][] replaced = null;
    boolean[] nulled = null;
    int offset = in.readerIndex() + 2;
    for (int column = 0; column < count; column++) {
      int length = in.getInt(offset);
      offset += 4;
      if (length < 0) continue;
      String value = decode(in, offset, length, column);
      String masked;
      if (value != null) {
        masked = masker.mask(column, value);
      } else {
        masked = masksBinary(in, offset, length, column) ? null : "";
      }
      if (value == null ? masked == null : !Objects.equals(masked, value)) {
        if (replaced == null) {
          replaced = new byte[count][];
          nulled = new boolean[count];
        }
        if (masked == null) {
          nulled[column] = true;
        } else {
          replaced[column] = encode(masked, column);
        }
      }
      offset += length;
    }
    if (replaced == null) return row;
    ByteBuf out = alloc.buffer(in.readableBytes() + 16).writeShort(count);
    offset = in.readerIndex() + 2;
    for (int column = 0; column < count; column++) {
      int length = in.getInt(offset);
      offset += 4;
      if (nulled[column]) {
        out.writeInt(-1);
      } else if (replaced[column] != null) {
        out.writeInt(replaced[column].length).writeBytes(replaced[column]);
      } else {
        out.writeInt(length);
        if (length > 0) out.writeBytes(in, offset, length);
      }
      if (length > 0) offset += length;
    }
    row.release();
    return new Frame(BackendType.DATA_ROW, out);
  }

  /** The value as a string when its format lets us mask it as text, else null. */
  private String decode(ByteBuf in, int offset, int length, int column) {
    if (formats[column] == 0) return in.toString(offset, length, charset);
    switch (types[column]) {
      case 25, 1043, 1042, 19, 18, 114, 142, 705:
        return in.toString(offset, length, StandardCharsets.UTF_8);
      case 3802:
        return length > 0 ? in.toString(offset + 1, length - 1, StandardCharsets.UTF_8) : "";
      default:
        return null;
    }
  }

  private byte[] encode(String masked, int column) {
    if (formats[column] == 0) return masked.getBytes(charset);
    byte[] text = masked.getBytes(StandardCharsets.UTF_8);
    if (types[column] != 3802) return text;
    byte[] jsonb = new byte[text.length + 1];
    jsonb[0] = 1;
    System.arraycopy(text, 0, jsonb, 1, text.length);
    return jsonb;
  }

  private boolean masksBinary(ByteBuf in, int offset, int length, int column) {
    if (!Objects.equals(masker.mask(column, PROBE), PROBE)) return true;
    if (types[column] == BIGINT && length == 8) {
      String decimal = Long.toString(in.getLong(offset));
      return !Objects.equals(masker.mask(column, decimal), decimal);
    }
    return false;
  }
}
