package dev.portcullis.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.gateway.protocol.Decision.Outcome;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DecisionDocumentTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String REF = "data.portcullis.decision";

  static DecisionDocument check(String json) throws Exception {
    return DecisionDocument.check(REF, Optional.of(JSON.readTree(json)));
  }

  static void assertDeny(String expectedReason, DecisionDocument d) {
    assertEquals(Outcome.DENY, d.outcome());
    assertEquals(List.of(expectedReason), d.reasons());
    assertEquals("deny", d.json().path("outcome").asText());
  }

  @Test
  void keepsTheFourOutcomesWithTheirParts() throws Exception {
    assertEquals(Outcome.ALLOW, check("{\"outcome\":\"allow\",\"reasons\":[\"reads are fine\"]}").outcome());
    DecisionDocument mask = check("{\"outcome\":\"mask\",\"masks\":[{\"column\":\"email\",\"strategy\":\"partial\"},"
        + "{\"detector\":\"card_number\",\"strategy\":\"redact\"}]}");
    assertEquals(Outcome.MASK, mask.outcome());
    assertEquals(2, mask.masks().size());
    DecisionDocument approval = check("{\"outcome\":\"require_approval\",\"reasons\":[\"writes need a dba\"],"
        + "\"approval\":{\"reviewers\":[\"dba\"],\"approvals_required\":1,\"timeout\":\"5m\"}}");
    assertEquals(Outcome.REQUIRE_APPROVAL, approval.outcome());
    assertEquals("dba", approval.json().path("approval").path("reviewers").get(0).asText());
    assertEquals(List.of("no DDL"), check("{\"outcome\":\"deny\",\"reasons\":[\"no DDL\"]}").reasons());
  }

  @Test
  void aDenyWithoutReasonsSaysItWasThePolicy() throws Exception {
    assertDeny("denied by policy", check("{\"outcome\":\"deny\"}"));
  }

  @Test
  void dropsPartsThatDoNotBelongToTheOutcome() throws Exception {
    JsonNode json = check("{\"outcome\":\"allow\",\"masks\":[{\"column\":\"x\",\"strategy\":\"redact\"}],\"extra\":1}").json();
    assertEquals(JSON.readTree("{\"outcome\":\"allow\",\"reasons\":[]}"), json);
  }

  @Test
  void undefinedIsADeny() {
    assertDeny("data.portcullis.decision is undefined for this request (no rule decided)",
        DecisionDocument.check(REF, Optional.empty()));
  }

  @Test
  void malformedDocumentsAreDenies() throws Exception {
    assertDeny(REF + " is malformed: not an object", check("\"allow\""));
    assertDeny(REF + " is malformed: outcome \"permit\" is not one of allow, mask, require_approval, deny",
        check("{\"outcome\":\"permit\"}"));
    assertDeny(REF + " is malformed: outcome missing is not one of allow, mask, require_approval, deny", check("{}"));
    assertDeny(REF + " is malformed: reasons must be a list of texts", check("{\"outcome\":\"allow\",\"reasons\":\"ok\"}"));
    assertDeny(REF + " is malformed: reasons must be a list of texts", check("{\"outcome\":\"allow\",\"reasons\":[1]}"));
  }

  @Test
  void maskDecisionsNeedValidMasks() throws Exception {
    assertDeny(REF + " is malformed: outcome mask needs a non-empty masks list", check("{\"outcome\":\"mask\"}"));
    assertDeny(REF + " is malformed: masks[0] needs exactly one of column, detector",
        check("{\"outcome\":\"mask\",\"masks\":[{\"strategy\":\"redact\"}]}"));
    assertDeny(REF + " is malformed: masks[0] needs exactly one of column, detector",
        check("{\"outcome\":\"mask\",\"masks\":[{\"column\":\"a\",\"detector\":\"email\",\"strategy\":\"redact\"}]}"));
    assertDeny(REF + " is malformed: masks[1].strategy must be one of redact, partial, hash, null",
        check("{\"outcome\":\"mask\",\"masks\":[{\"column\":\"a\",\"strategy\":\"redact\"},{\"column\":\"b\",\"strategy\":\"scramble\"}]}"));
    assertDeny(REF + " is malformed: masks[0].detector \"ssn\" is not one of aws_key, card_number, email, iban, jwt, phone, private_key, secret",
        check("{\"outcome\":\"mask\",\"masks\":[{\"detector\":\"ssn\",\"strategy\":\"redact\"}]}"));
    assertDeny(REF + " is malformed: masks[0].table must be a text beside column",
        check("{\"outcome\":\"mask\",\"masks\":[{\"detector\":\"email\",\"table\":\"t\",\"strategy\":\"redact\"}]}"));
  }

  @Test
  void approvalDecisionsNeedReviewers() throws Exception {
    assertDeny(REF + " is malformed: outcome require_approval needs an approval object", check("{\"outcome\":\"require_approval\"}"));
    assertDeny(REF + " is malformed: approval.reviewers must name at least one group",
        check("{\"outcome\":\"require_approval\",\"approval\":{\"reviewers\":[]}}"));
    assertDeny(REF + " is malformed: approval.approvals_required must be 1-10",
        check("{\"outcome\":\"require_approval\",\"approval\":{\"reviewers\":[\"dba\"],\"approvals_required\":0}}"));
    assertDeny(REF + " is malformed: approval.timeout 'soon' is not a duration (write e.g. 50ms, 30s, 5m, 1h)",
        check("{\"outcome\":\"require_approval\",\"approval\":{\"reviewers\":[\"dba\"],\"timeout\":\"soon\"}}"));
  }
}
