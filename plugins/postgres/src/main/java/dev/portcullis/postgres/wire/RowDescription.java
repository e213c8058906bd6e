package dev.portcullis.postgres.wire;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/** RowDescription: the result columns of a query or portal. */
public record RowDescription(List<Field> fields) {
  /** One column: its name, source table OID and attribute number (0 when not a plain column), type and format. */
  public record Field(String name, int tableOid, int columnNumber, int typeOid, int format) {}

  public static RowDescription decode(ByteBuf body) {
    ByteBuf b = body.duplicate();
    int count = Buffers.readCount(b, 19);
    List<Field> fields = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String name = Buffers.readCString(b);
      int table = b.readInt();
      int column = b.readShort();
      int type = b.readInt();
      b.skipBytes(2 + 4);
      int format = b.readShort();
      fields.add(new Field(name, table, column, type, format));
    }
    return new RowDescription(fields);
  }

  /** The same columns with the formats a Bind asked for (a statement Describe always reports text). */
  public RowDescription withFormats(ClientMessages.Bind bind) {
    List<Field> out = new ArrayList<>(fields.size());
    for (int i = 0; i < fields.size(); i++) {
      Field f = fields.get(i);
      out.add(new Field(f.name(), f.tableOid(), f.columnNumber(), f.typeOid(), bind.formatOf(i)));
    }
    return new RowDescription(out);
  }
}
