package dev.portcullis.postgres.wire;

/** Type bytes of the messages a client sends after startup (protocol 3.0). */
public final class FrontendType {
  public static final byte BIND = 'B';
  public static final byte CLOSE = 'C';
  public static final byte COPY_DATA = 'd';
  public static final byte COPY_DONE = 'c';
  public static final byte COPY_FAIL = 'f';
  public static final byte DESCRIBE = 'D';
  public static final byte EXECUTE = 'E';
  public static final byte FLUSH = 'H';
  public static final byte FUNCTION_CALL = 'F';
  public static final byte PARSE = 'P';
  /** PasswordMessage, SASLInitialResponse and SASLResponse share this type. */
  public static final byte PASSWORD = 'p';
  public static final byte QUERY = 'Q';
  public static final byte SYNC = 'S';
  public static final byte TERMINATE = 'X';

  private FrontendType() {}

  static boolean isKnown(byte type) {
    switch (type) {
      case BIND: case CLOSE: case COPY_DATA: case COPY_DONE: case COPY_FAIL: case DESCRIBE: case EXECUTE: case FLUSH:
      case FUNCTION_CALL: case PARSE: case PASSWORD: case QUERY: case SYNC: case TERMINATE:
        return true;
      default:
        return false;
    }
  }
}
