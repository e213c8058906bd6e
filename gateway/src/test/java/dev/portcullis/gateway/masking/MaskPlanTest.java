package dev.portcullis.gateway.masking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MaskPlanTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] KEY = "test-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  private static final String ALL_DETECTORS_REDACT = "[" + String.join(",",
      java.util.Arrays.stream(new String[] {"secret", "email", "iban", "card_number", "phone"})
          .map(d -> "{\"detector\":\"" + d + "\",\"strategy\":\"redact\"}").toList()) + "]";
  private static final List<ColumnRef> ONE_TEXT_COLUMN = List.of(new ColumnRef("note", null));

  private static MaskPlan plan(String masks) {
    try {
      return MaskPlan.from(JSON.readTree(masks), KEY);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String detect(String detector, String strategy, String value) {
    return plan("[{\"detector\":\"" + detector + "\",\"strategy\":\"" + strategy + "\"}]")
        .forColumns(ONE_TEXT_COLUMN).mask(0, value);
  }

  private static void assertUntouched(String detector, String value) {
    assertSame(value, detect(detector, "redact", value), () -> detector + " should not match: " + value);
  }

  @Nested
  class Validation {
    @Test
    void missingOrEmptyMasksMeanNothingToMask() {
      assertTrue(MaskPlan.from(null, KEY).isEmpty());
      assertTrue(MaskPlan.from(MissingNode.getInstance(), null).isEmpty());
      assertTrue(plan("[]").isEmpty());
      assertFalse(plan("[{\"column\":\"email\",\"strategy\":\"redact\"}]").isEmpty());
    }

    @Test
    void malformedMasksAreRejectedWithTheOffendingEntry() {
      String[][] cases = {
        {"{}", "masks must be an array"},
        {"[\"email\"]", "masks[0] must be an object"},
        {"[{\"column\":\"email\"}]", "masks[0]: \"strategy\" is required"},
        {"[{\"column\":\"email\",\"strategy\":\"shred\"}]", "unknown mask strategy \"shred\""},
        {"[{\"column\":\"email\",\"strategy\":\"redact\",\"colour\":1}]", "unknown field \"colour\""},
        {"[{\"strategy\":\"redact\"}]", "exactly one of"},
        {"[{\"column\":\"a\",\"detector\":\"email\",\"strategy\":\"redact\"}]", "exactly one of"},
        {"[{\"column\":\"\",\"strategy\":\"redact\"}]", "\"column\" must be a non-empty string"},
        {"[{\"column\":7,\"strategy\":\"redact\"}]", "\"column\" must be a non-empty string"},
        {"[{\"detector\":\"email\",\"table\":\"t\",\"strategy\":\"redact\"}]", "only applies to column"},
        {"[{\"detector\":\"ssn\",\"strategy\":\"redact\"}]", "masks[0]: unknown mask detector \"ssn\""},
        {"[{\"column\":\"a\",\"strategy\":\"redact\"},{\"column\":\"b\",\"strategy\":1}]", "masks[1]"},
      };
      for (String[] c : cases) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plan(c[0]), c[0]);
        assertTrue(e.getMessage().contains(c[1]), () -> c[0] + " -> " + e.getMessage());
      }
    }

    @Test
    void hashWithoutAKeyIsRejected() throws Exception {
      JsonNode masks = JSON.readTree("[{\"column\":\"email\",\"strategy\":\"hash\"}]");
      assertThrows(IllegalArgumentException.class, () -> MaskPlan.from(masks, null));
      assertThrows(IllegalArgumentException.class, () -> MaskPlan.from(masks, new byte[0]));
    }
  }

  @Nested
  class ColumnRules {
    private final List<ColumnRef> columns = List.of(new ColumnRef("id", "public.customers"),
        new ColumnRef("EMAIL", "public.customers"), new ColumnRef("card_number", "public.payments"),
        new ColumnRef("card_number", null), new ColumnRef("phone", "public.customers"));

    @Test
    void matchNameCaseInsensitivelyAndTableWhenBothAreKnown() {
      ColumnMasker m = plan("[{\"column\":\"email\",\"strategy\":\"redact\"},"
          + "{\"column\":\"card_number\",\"table\":\"public.customers\",\"strategy\":\"redact\"},"
          + "{\"column\":\"phone\",\"table\":\"customers\",\"strategy\":\"null\"}]").forColumns(columns);
      assertFalse(m.masks(0));
      assertTrue(m.masks(1));
      assertFalse(m.masks(2), "card_number of another table");
      assertTrue(m.masks(3), "source table unknown: masked to be safe");
      assertTrue(m.masks(4), "unqualified rule table matches the schema-qualified column table");
      assertEquals("[REDACTED]", m.mask(1, "ann@example.com"));
      assertSame("4111111111111111", m.mask(2, "4111111111111111"));
      assertNull(m.mask(4, "+1 415 555 2671"));
      assertNull(m.mask(1, null), "SQL NULL stays NULL");
      assertEquals(Set.of("column:email:redact", "column:customers.phone:null"), m.applied());
    }

    @Test
    void partialKeepsARecognisableShape() {
      ColumnMasker m = plan("[{\"column\":\"v\",\"strategy\":\"partial\"}]")
          .forColumns(List.of(new ColumnRef("v", null)));
      assertEquals("j***@example.com", m.mask(0, "john.doe@example.com"));
      assertEquals("************1111", m.mask(0, "4111 1111 1111 1111"));
      assertEquals("+* (***) ***-**71", m.mask(0, "+1 (415) 555-2671"));
      assertEquals("S***h", m.mask(0, "Smith"));
      assertEquals("***", m.mask(0, "ab"));
    }

    @Test
    void hashIsKeyedDeterministicAndShort() {
      ColumnMasker m = plan("[{\"column\":\"v\",\"strategy\":\"hash\"}]")
          .forColumns(List.of(new ColumnRef("v", null)));
      String a = m.mask(0, "ann@example.com");
      assertTrue(a.matches("hash:[0-9a-f]{16}"), a);
      assertEquals(a, m.mask(0, "ann@example.com"));
      assertNotEquals(a, m.mask(0, "bob@example.com"));
      ColumnMasker otherKey = MaskPlan.from(JSON.valueToTree(List.of(java.util.Map.of("column", "v",
          "strategy", "hash"))), "another-key".getBytes(StandardCharsets.UTF_8))
          .forColumns(List.of(new ColumnRef("v", null)));
      assertNotEquals(a, otherKey.mask(0, "ann@example.com"));
    }

    @Test
    void aColumnRuleWinsOverDetectorsSoHashesStayJoinable() {
      ColumnMasker m = plan("[{\"column\":\"ref\",\"strategy\":\"hash\"},"
          + "{\"detector\":\"card_number\",\"strategy\":\"redact\"}]")
          .forColumns(List.of(new ColumnRef("ref", null), new ColumnRef("note", null)));
      assertTrue(m.mask(0, "4111111111111111").startsWith("hash:"));
      assertEquals("paid with [REDACTED]", m.mask(1, "paid with 4111111111111111"));
    }
  }

  @Nested
  class Detectors {
    @Test
    void emailsInsideText() {
      assertEquals("mail [REDACTED] or [REDACTED].", detect("email", "redact",
          "mail ann.lee+tag@mail.example.co.uk or bob@example.org."));
      assertEquals("to: a***@example.com", detect("email", "partial", "to: ann@example.com"));
      assertUntouched("email", "user@localhost");
      assertUntouched("email", "@@@ 10 @ 20");
      assertUntouched("email", "no at sign here");
    }

    @Test
    void cardNumbersNeedTheLuhnCheck() {
      assertEquals("card [REDACTED] ok", detect("card_number", "redact", "card 4111-1111-1111-1111 ok"));
      assertEquals("************1111", detect("card_number", "partial", "4111 1111 1111 1111"));
      assertEquals("amex ***********0005", detect("card_number", "partial", "amex 378282246310005"));
      assertUntouched("card_number", "4111 1111 1111 1112");
      assertUntouched("card_number", "order 411111111111");
      assertEquals("qty 12 [REDACTED]", detect("card_number", "redact", "qty 12 4111 1111 1111 1111"));
      assertEquals("[REDACTED]", detect("card_number", "redact", "41111111111111114111111111111111"),
          "two cards glued together");
    }

    @Test
    void ibansNeedTheMod97Check() {
      assertEquals("iban [REDACTED], thanks", detect("iban", "redact",
          "iban DE89 3704 0044 0532 0130 00, thanks"));
      assertEquals("[REDACTED]", detect("iban", "redact", "GB82WEST12345698765432"));
      assertEquals("G***2", detect("iban", "partial", "GB82WEST12345698765432"));
      assertUntouched("iban", "GB83WEST12345698765432");
      assertUntouched("iban", "AB12 short");
    }

    @Test
    void phonesButNotIntegersDatesOrAddresses() {
      for (String phone : List.of("+14155552671", "+44 20 7946 0958", "(415) 555-2671", "415-555-2671",
          "020 7946 0958", "01 23 45 67 89", "415.555.2671")) {
        assertEquals("call [REDACTED] now", detect("phone", "redact", "call " + phone + " now"), phone);
      }
      assertEquals("+* *** ***-**71", detect("phone", "partial", "+1 415 555-2671"));
      for (String notPhone : List.of("4155552671", "2024-01-15 10:30", "2024-01-15 1030 12",
          "192.168.100.200", "id 123456789012345", "1.5 2.5", "v1.2.3")) {
        assertUntouched("phone", notPhone);
      }
    }

    @Test
    void awsKeysPrivateKeysAndJwts() {
      assertEquals("key=[REDACTED];", detect("aws_key", "redact", "key=AKIAIOSFODNN7EXAMPLE;"));
      assertEquals("[REDACTED]", detect("aws_key", "redact", "ASIAY34FZKBOKMUTVV7A"));
      assertUntouched("aws_key", "AKIAIOSFODNN7EXAMPLEX");
      assertUntouched("aws_key", "AKIA-short");

      String pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----";
      assertEquals("before [REDACTED] after", detect("private_key", "redact", "before " + pem + " after"));
      assertEquals("cut [REDACTED]", detect("private_key", "redact",
          "cut -----BEGIN PRIVATE KEY-----\nMIIEvQ"));
      assertUntouched("private_key", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----");

      String jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
          + "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
      assertEquals("Bearer [REDACTED]", detect("jwt", "redact", "Bearer " + jwt));
      assertUntouched("jwt", "eyJub3RhbGciOjF9.eyJzdWIiOjF9.sig"); // header {"notalg":1}
      assertUntouched("jwt", "eyJ.not.base64!");
    }

    @Test
    void secretCoversKeysTokensAndCredentialAssignments() {
      String jwt = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.";
      assertEquals("[REDACTED] and [REDACTED]", detect("secret", "redact", "AKIAIOSFODNN7EXAMPLE and " + jwt));
      assertEquals("postgres://u:p@h/db?password=[REDACTED]&sslmode=require",
          detect("secret", "redact", "postgres://u:p@h/db?password=hunter2&sslmode=require"));
      assertEquals("{\"api_key\": \"[REDACTED]\"}", detect("secret", "redact", "{\"api_key\": \"s3cr3t\"}"));
      assertEquals("PWD = [REDACTED]", detect("secret", "redact", "PWD = x"));
      assertEquals("token:[REDACTED] Client-Secret = [REDACTED]", detect("secret", "redact",
          "token:abc Client-Secret = xyz"));
      assertUntouched("secret", "the password policy is strict");
      assertUntouched("secret", "mypassword=x, at 10:30, postgres://host:5432/db");
    }

    @Test
    void nullStrategyNullsTheWholeValueAndReportsTheRule() {
      ColumnMasker m = plan("[{\"detector\":\"email\",\"strategy\":\"null\"}]").forColumns(ONE_TEXT_COLUMN);
      assertNull(m.mask(0, "contact ann@example.com"));
      assertEquals("no contact", m.mask(0, "no contact"));
      assertEquals(Set.of("detector:email:null"), m.applied());
    }

    @Test
    void severalDetectorsReplaceEachMatchOnce() {
      ColumnMasker m = plan("[{\"detector\":\"email\",\"strategy\":\"partial\"},"
          + "{\"detector\":\"card_number\",\"strategy\":\"partial\"},"
          + "{\"detector\":\"phone\",\"strategy\":\"redact\"}]").forColumns(ONE_TEXT_COLUMN);
      assertEquals("a***@example.com paid ************1111, tel [REDACTED]",
          m.mask(0, "ann@example.com paid 4111 1111 1111 1111, tel +1 415 555 2671"));
      assertEquals(Set.of("detector:email:partial", "detector:card_number:partial", "detector:phone:redact"),
          m.applied());
      assertTrue(m.masks(0) && m.masks(5), "detectors make every column a candidate");
    }

    @Test
    void untouchedValuesAreTheSameInstance() {
      ColumnMasker m = plan(ALL_DETECTORS_REDACT)
          .forColumns(ONE_TEXT_COLUMN);
      for (String v : List.of("", "plain text", "12345", "2024-01-15", "a=b", "x@y", "eyJ")) {
        assertSame(v, m.mask(0, v));
      }
      assertEquals(Set.of(), m.applied());
    }

    @Test
    void hostileValuesFinish() {
      ColumnMasker m = plan(ALL_DETECTORS_REDACT)
          .forColumns(ONE_TEXT_COLUMN);
      String[] values = {"a".repeat(200_000) + "@", "@".repeat(200_000), "1 ".repeat(100_000),
        "9".repeat(200_000), "eyJ".repeat(60_000), "DE89".repeat(50_000), "-----BEGIN ".repeat(20_000),
        "password=".repeat(20_000), "+1-".repeat(60_000), "a.".repeat(100_000) + "@b"};
      for (String v : values) {
        m.mask(0, v); // completes: every scanner is linear
      }
    }
  }
}
