package dev.portcullis.rego.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The token matcher must agree with the RE2 translation of the same glob, which it replaces for speed. */
class GlobTokensTest {
  private static final List<String> PATTERNS = List.of("", "*", "**", "?", "a*", "*a", "a*b", "a**b", "*.b", "a.*",
      "a/**/b", "**/x", "***", "*?*", "[ab]*", "[!a]?", "[a-c]at", "\\*", "a\\?b", "a,b", "}", "]", "😀?", "?😀*");
  private static final List<String> TEXTS = List.of("", "a", "b", "ab", "a.b", "a/b", "a//b", "a/x/b", "x", "abc",
      "cat", "fat", "*", "a?b", "a,b", "}", "]", "😀a", "a😀", "a.b.c", "..", "ba.b");

  @Test
  void agreesWithTheRegexTranslation() throws Exception {
    for (String delims : List.of("", ".", "./")) {
      for (String p : PATTERNS) {
        com.google.re2j.Pattern re = Globs.compile(p, delims);
        GlobTokens tokens = GlobTokens.compile(p, delims);
        for (String text : TEXTS) {
          assertEquals(re.matcher(text).matches(), tokens.matches(text),
              "pattern " + p + " delimiters " + delims + " text " + text);
        }
      }
    }
  }

  @Test
  void alternativesAreLeftToTheRegexPath() {
    assertNull(GlobTokens.compile("{a,b}", "."));
  }
}
