package dev.portcullis.conftest.format;

/** XML escaping for the JUnit reports. */
public final class Xml {
  private Xml() {}

  public static String attr(String s) {
    return text(s).replace("\"", "&quot;").replace("\n", "&#xA;").replace("\t", "&#x9;");
  }

  public static String text(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '\r' -> out.append("&#xD;");
        default -> {
          // Characters XML 1.0 cannot hold at all become the replacement character rather than breaking parsers.
          if (c < 0x20 && c != '\n' && c != '\t') out.append('\uFFFD');
          else out.append(c);
        }
      }
    }
    return out.toString();
  }
}
