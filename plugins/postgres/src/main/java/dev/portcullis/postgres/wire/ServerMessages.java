package dev.portcullis.postgres.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Messages the gateway itself sends to clients, and the authentication codes of both directions. */
public final class ServerMessages {
  public static final int AUTH_OK = 0;
  public static final int AUTH_CLEARTEXT = 3;
  public static final int AUTH_MD5 = 5;
  public static final int AUTH_SASL = 10;
  public static final int AUTH_SASL_CONTINUE = 11;
  public static final int AUTH_SASL_FINAL = 12;

  private ServerMessages() {}

  public static Frame authentication(ByteBufAllocator alloc, int code) {
    return new Frame(BackendType.AUTHENTICATION, alloc.buffer(4).writeInt(code));
  }

  public static Frame parameterStatus(ByteBufAllocator alloc, String name, String value) {
    ByteBuf body = alloc.buffer();
    Buffers.writeCString(body, name);
    Buffers.writeCString(body, value);
    return new Frame(BackendType.PARAMETER_STATUS, body);
  }

  public static Frame backendKeyData(ByteBufAllocator alloc, int processId, int secretKey) {
    return new Frame(BackendType.BACKEND_KEY_DATA, alloc.buffer(8).writeInt(processId).writeInt(secretKey));
  }

  /** NegotiateProtocolVersion: the newest minor version of protocol 3 we speak, and the options we ignored. */
  public static Frame negotiateProtocolVersion(ByteBufAllocator alloc, int minorVersion, java.util.List<String> unknown) {
    ByteBuf body = alloc.buffer().writeInt(minorVersion).writeInt(unknown.size());
    unknown.forEach(name -> Buffers.writeCString(body, name));
    return new Frame(BackendType.NEGOTIATE_PROTOCOL_VERSION, body);
  }

  /** ReadyForQuery with transaction status 'I' (idle), 'T' (in a block) or 'E' (failed block). */
  public static Frame readyForQuery(ByteBufAllocator alloc, byte transactionStatus) {
    return new Frame(BackendType.READY_FOR_QUERY, alloc.buffer(1).writeByte(transactionStatus));
  }
}
