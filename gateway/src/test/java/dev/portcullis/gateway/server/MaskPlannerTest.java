package dev.portcullis.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.portcullis.gateway.protocol.ResultColumn;
import dev.portcullis.gateway.protocol.ResultMasker;
import dev.portcullis.gateway.session.MaskPlanner;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaskPlannerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final MaskPlanner planner = Defaults.maskPlanner(new byte[32]);

  private static ArrayNode masks(String json) throws Exception {
    return (ArrayNode) JSON.readTree(json);
  }

  private static List<ResultColumn> columns(String... names) {
    return java.util.Arrays.stream(names).map(n -> new ResultColumn(n, null)).toList();
  }

  @Test
  void theSameMasksAskedAgainMaskTheSameWay() throws Exception {
    String json = "[{\"column\": \"email\", \"strategy\": \"redact\"}]";
    for (int i = 0; i < 3; i++) {
      ResultMasker masker = planner.plan(masks(json)).apply(columns("id", "email"));
      assertFalse(masker.passThrough());
      assertEquals("[REDACTED]", masker.mask(1, "jane@example.com"));
      assertTrue(planner.plan(masks(json)).apply(columns("id")).passThrough());
    }
  }

  @Test
  void aPlanIsNotSharedByDifferentMasks() throws Exception {
    planner.plan(masks("[{\"column\": \"email\", \"strategy\": \"redact\"}]")).apply(columns("email"));
    ResultMasker other = planner.plan(masks("[{\"column\": \"email\", \"strategy\": \"null\"}]")).apply(columns("email"));
    assertEquals(null, other.mask(0, "jane@example.com"));
  }

  @Test
  void malformedMasksAreRefusedEveryTime() throws Exception {
    String json = "[{\"column\": \"email\", \"strategy\": \"shred\"}]";
    for (int i = 0; i < 2; i++) {
      ArrayNode bad = masks(json);
      assertThrows(IllegalArgumentException.class, () -> planner.plan(bad));
    }
  }
}
