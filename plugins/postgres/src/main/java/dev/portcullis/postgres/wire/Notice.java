package dev.portcullis.postgres.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.LinkedHashMap;
import java.util.Map;

/** The fields of an ErrorResponse or NoticeResponse, keyed by field type ('S' severity, 'C' SQLSTATE, 'M' ...). */
public record Notice(Map<Character, String> fields) {
  public static final String PROTOCOL_VIOLATION = "08P01";
  public static final String INSUFFICIENT_PRIVILEGE = "42501";
  public static final String INVALID_PASSWORD = "28P01";
  public static final String INVALID_AUTHORIZATION = "28000";
  public static final String QUERY_CANCELED = "57014";
  public static final String CONNECTION_FAILURE = "08006";

  public static Notice error(String sqlState, String message) {
    return of("ERROR", sqlState, message, null, null);
  }

  public static Notice fatal(String sqlState, String message) {
    return of("FATAL", sqlState, message, null, null);
  }

  public static Notice of(String severity, String sqlState, String message, String detail, String hint) {
    Map<Character, String> fields = new LinkedHashMap<>();
    fields.put('S', severity);
    fields.put('V', severity);
    fields.put('C', sqlState);
    fields.put('M', message);
    if (detail != null) fields.put('D', detail);
    if (hint != null) fields.put('H', hint);
    return new Notice(fields);
  }

  public static Notice decode(ByteBuf body) {
    ByteBuf b = body.duplicate();
    Map<Character, String> fields = new LinkedHashMap<>();
    while (b.isReadable()) {
      byte code = b.readByte();
      if (code == 0) break;
      fields.put((char) code, Buffers.readCString(b));
    }
    return new Notice(fields);
  }

  public String sqlState() {
    return fields.get('C');
  }

  public String message() {
    return fields.get('M');
  }

  public Frame toError(ByteBufAllocator alloc) {
    return encode(alloc, BackendType.ERROR_RESPONSE);
  }

  public Frame toNotice(ByteBufAllocator alloc) {
    return encode(alloc, BackendType.NOTICE_RESPONSE);
  }

  private Frame encode(ByteBufAllocator alloc, byte type) {
    ByteBuf body = alloc.buffer();
    fields.forEach((code, value) -> Buffers.writeCString(body.writeByte(code), value));
    return new Frame(type, body.writeByte(0));
  }
}
