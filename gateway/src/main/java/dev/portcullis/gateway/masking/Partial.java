package dev.portcullis.gateway.masking;

/** The partial strategy: keep just enough of a value to recognise it. */
final class Partial {

  private Partial() {
  }

  /**
   * @param kind the detector that matched, or null for a whole column value (the shape is then inferred)
   */
  static String of(Detector kind, String text) {
    Detector shape = kind != null ? kind : infer(text);
    if (shape == Detector.EMAIL) {
      int at = text.lastIndexOf('@');
      if (at > 0) {
        return text.charAt(0) + "***" + text.substring(at);
      }
    } else if (shape == Detector.CARD_NUMBER) {
      return card(text);
    } else if (shape == Detector.PHONE) {
      return phone(text);
    }
    if (text.length() <= 2) {
      return "***";
    }
    return text.charAt(0) + "***" + text.charAt(text.length() - 1);
  }

  private static Detector infer(String text) {
    int at = text.indexOf('@');
    if (at > 0 && text.indexOf('.', at) > at + 1) {
      return Detector.EMAIL;
    }
    int digits = 0;
    boolean cardChars = true;
    boolean phoneChars = true;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Scanners.isDigit(c)) {
        digits++;
      } else {
        cardChars &= c == ' ' || c == '-';
        phoneChars &= c == ' ' || c == '-' || c == '+' || c == '(' || c == ')' || c == '.';
      }
    }
    if (cardChars && digits >= 13 && digits <= 19) {
      return Detector.CARD_NUMBER;
    }
    if (phoneChars && digits >= 7 && digits <= 15) {
      return Detector.PHONE;
    }
    return null;
  }

  /** Every digit but the last four becomes '*', separators dropped: ************1111. */
  private static String card(String text) {
    StringBuilder digits = new StringBuilder(19);
    for (int i = 0; i < text.length(); i++) {
      if (Scanners.isDigit(text.charAt(i))) {
        digits.append(text.charAt(i));
      }
    }
    int keep = Math.min(4, digits.length());
    return "*".repeat(digits.length() - keep) + digits.substring(digits.length() - keep);
  }

  /** Every digit but the last two becomes '*', the formatting stays: +* (***) ***-**71. */
  private static String phone(String text) {
    int seen = 0;
    int total = 0;
    for (int i = 0; i < text.length(); i++) {
      if (Scanners.isDigit(text.charAt(i))) {
        total++;
      }
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Scanners.isDigit(c)) {
        seen++;
        out.append(seen > total - 2 ? c : '*');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
