package dev.portcullis.gateway.masking;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Masks the values of one result set. A column rule replaces the whole value (detectors then leave it alone, so
 * a hash stays joinable); otherwise every detector rule scans the value and only the matches are replaced.
 * Not thread-safe: one instance per result set, used by the thread that rewrites its rows.
 */
public final class ColumnMasker {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final MaskPlan.ColumnRule[] columnRules;
  private final MaskPlan.DetectorRule[] detectorRules;
  private final byte[] hashKey;
  private final Set<String> applied = new LinkedHashSet<>();
  private final Matches matches = new Matches();
  private Mac mac;

  ColumnMasker(MaskPlan.ColumnRule[] columnRules, MaskPlan.DetectorRule[] detectorRules, byte[] hashKey) {
    this.columnRules = columnRules;
    this.detectorRules = detectorRules;
    this.hashKey = hashKey;
  }

  /**
   * Whether values of this column may be changed. With any detector rule every column is a candidate; the
   * caller still decides which columns carry text.
   */
  public boolean masks(int column) {
    return detectorRules.length > 0 || (column >= 0 && column < columnRules.length
        && columnRules[column] != null);
  }

  /**
   * @param value the column's text (null for SQL NULL)
   * @return the masked text, null for SQL NULL, or {@code value} itself (same instance) when nothing matched
   */
  public String mask(int column, String value) {
    if (value == null) {
      return null;
    }
    MaskPlan.ColumnRule rule = column >= 0 && column < columnRules.length ? columnRules[column] : null;
    if (rule != null) {
      applied.add(rule.label());
      return rule.strategy() == Strategy.NULL ? null : render(rule.strategy(), null, value);
    }
    if (detectorRules.length == 0) {
      return value;
    }
    matches.clear();
    for (int r = 0; r < detectorRules.length; r++) {
      matches.rule = r;
      detectorRules[r].detector().scan(value, matches);
    }
    if (matches.size == 0) {
      return value;
    }
    matches.sortByStart();
    StringBuilder out = new StringBuilder(value.length() + 16);
    int copied = 0;
    for (int k = 0; k < matches.size; k++) {
      int start = matches.starts[k];
      int end = matches.ends[k];
      if (start < copied) {
        continue; // overlaps an earlier match that is already replaced
      }
      MaskPlan.DetectorRule hit = detectorRules[matches.rules[k]];
      applied.add(hit.label());
      if (hit.strategy() == Strategy.NULL) {
        return null;
      }
      out.append(value, copied, start)
          .append(render(hit.strategy(), hit.detector(), value.substring(start, end)));
      copied = end;
    }
    return out.append(value, copied, value.length()).toString();
  }

  /** Labels of the rules that changed at least one value so far, e.g. "detector:email:partial". */
  public Set<String> applied() {
    return Set.copyOf(applied);
  }

  private String render(Strategy strategy, Detector kind, String text) {
    return switch (strategy) {
      case REDACT -> Strategy.REDACTED;
      case HASH -> hash(text);
      case PARTIAL -> Partial.of(kind, text);
      case NULL -> null;
    };
  }

  private String hash(String text) {
    try {
      if (mac == null) {
        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(hashKey, "HmacSHA256"));
      }
      byte[] digest = mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
      char[] hex = new char[16];
      for (int i = 0; i < 8; i++) {
        hex[i * 2] = HEX[(digest[i] >> 4) & 0xf];
        hex[i * 2 + 1] = HEX[digest[i] & 0xf];
      }
      return "hash:" + new String(hex);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** Matches of the current value, reused across values so that scanning allocates nothing. */
  private static final class Matches implements Scanners.Sink {
    int[] starts = new int[8];
    int[] ends = new int[8];
    int[] rules = new int[8];
    int size;
    int rule;

    void clear() {
      size = 0;
    }

    @Override
    public void match(int start, int end) {
      if (size == starts.length) {
        starts = java.util.Arrays.copyOf(starts, size * 2);
        ends = java.util.Arrays.copyOf(ends, size * 2);
        rules = java.util.Arrays.copyOf(rules, size * 2);
      }
      starts[size] = start;
      ends[size] = end;
      rules[size] = rule;
      size++;
    }

    /** Insertion sort by start, longer first on ties: match counts per value are tiny. */
    void sortByStart() {
      for (int i = 1; i < size; i++) {
        int s = starts[i], e = ends[i], r = rules[i];
        int j = i - 1;
        while (j >= 0 && (starts[j] > s || (starts[j] == s && ends[j] < e))) {
          starts[j + 1] = starts[j];
          ends[j + 1] = ends[j];
          rules[j + 1] = rules[j];
          j--;
        }
        starts[j + 1] = s;
        ends[j + 1] = e;
        rules[j + 1] = r;
      }
    }
  }
}
