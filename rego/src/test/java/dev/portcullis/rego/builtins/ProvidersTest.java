package dev.portcullis.rego.builtins;

import static dev.portcullis.rego.builtins.BuiltinCalls.call;
import static dev.portcullis.rego.builtins.BuiltinCalls.fails;
import static dev.portcullis.rego.builtins.BuiltinCalls.v;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portcullis.rego.builtins.BuiltinException.Kind;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.Value;
import org.junit.jupiter.api.Test;

class ProvidersTest {
  private static final Value WHEN = v("1451311705000000000");
  private static final String KEYS = "\"aws_access_key\": \"MYAWSACCESSKEYGOESHERE\", "
      + "\"aws_secret_access_key\": \"MYAWSSECRETACCESSKEYGOESHERE\", \"aws_service\": \"s3\", \"aws_region\": \"us-east-1\"";

  private static String header(Value signed, String name) {
    return ((ObjectValue) ((ObjectValue) signed).get("headers")).get(name).toString();
  }

  @Test
  void signsAGetWithoutBody() throws Exception {
    Value signed = call("providers.aws.sign_req", v("{\"method\": \"get\", \"url\": \"http://example.com\"}"),
        v("{" + KEYS + "}"), WHEN);
    assertEquals("\"AWS4-HMAC-SHA256 Credential=MYAWSACCESSKEYGOESHERE/20151228/us-east-1/s3/aws4_request,"
        + "SignedHeaders=host;x-amz-content-sha256;x-amz-date,"
        + "Signature=0047a7016c81e5c7f29cd522f97e911e04fc472fced0aee7916cbc287ad6c8e3\"", header(signed, "Authorization"));
    assertEquals("\"20151228T140825Z\"", header(signed, "x-amz-date"));
    assertEquals("\"example.com\"", header(signed, "host"));
  }

  @Test
  void signsSessionTokenBodyAndCallerHeaders() throws Exception {
    Value signed = call("providers.aws.sign_req", v("{\"method\": \"get\", \"url\": \"http://example.com\"}"),
        v("{" + KEYS + ", \"aws_session_token\": \"MYAWSSECURITYTOKENGOESHERE\"}"), WHEN);
    assertEquals("\"MYAWSSECURITYTOKENGOESHERE\"", header(signed, "x-amz-security-token"));
    assertEquals(true, header(signed, "Authorization").endsWith(
        "Signature=23c31bda8a74630c0a94f6b82a3511e7e74728df98e6f54ed0840488dbbdc8d1\""));
    Value withBody = call("providers.aws.sign_req", v("{\"method\": \"get\", \"url\": \"https://example.com\", "
        + "\"headers\": {\"foo\": \"bar\", \"x-amz-content-sha256\": \"existing-value\"}, \"body\": {\"example\": [1, 2, 3, 4]}}"),
        v("{" + KEYS + ", \"disable_payload_signing\": false}"), WHEN);
    assertEquals(true, header(withBody, "Authorization").endsWith(
        "Signature=42bcac7fc6d170e09be72fdf38b62e59361265bc59d5f9156f0d6faf889e98ba\""));
    assertEquals("\"bacff6243c850423883052ac3c336fd645994442933408dfd3f9e858e69bda07\"",
        header(withBody, "x-amz-content-sha256"));
    Value unsigned = call("providers.aws.sign_req", v("{\"method\": \"get\", \"url\": \"https://example.com\", "
        + "\"headers\": {\"foo\": \"bar\"}}"), v("{" + KEYS + ", \"disable_payload_signing\": true}"), WHEN);
    assertEquals("\"UNSIGNED-PAYLOAD\"", header(unsigned, "x-amz-content-sha256"));
    assertEquals(true, header(unsigned, "Authorization").endsWith(
        "Signature=c6e6db654e92172f71e18c714c123711de069ac6fd7df1348e5b28fd05532028\""));
  }

  @Test
  void badRequestsAndConfigsAreTypeErrors() {
    fails(Kind.TYPE, "operand 1 missing required request parameters(s): {\"method\", \"url\"}", "providers.aws.sign_req",
        v("{}"), v("{" + KEYS + "}"), WHEN);
    fails(Kind.TYPE, "operand 2 missing required AWS config parameters(s): {\"aws_access_key\", \"aws_region\", "
        + "\"aws_secret_access_key\", \"aws_service\"}", "providers.aws.sign_req",
        v("{\"method\": \"get\", \"url\": \"http://example.com\"}"), v("{\"example\": \"example\"}"), WHEN);
    fails(Kind.TYPE, "operand 3 could not convert time_ns value into a unix timestamp", "providers.aws.sign_req",
        v("{\"method\": \"get\", \"url\": \"http://example.com\"}"), v("{" + KEYS + "}"), v("1.5"));
    fails(Kind.TYPE, "could not convert time_ns", "providers.aws.sign_req",
        v("{\"method\": \"get\", \"url\": \"http://example.com\"}"), v("{" + KEYS + "}"), dev.portcullis.rego.value.NumberValue.parse("-1e9"));
    fails(Kind.TYPE, "operand 2 invalid value for 'disable_payload_signing' in AWS config", "providers.aws.sign_req",
        v("{\"method\": \"get\", \"url\": \"http://example.com\"}"), v("{" + KEYS + ", \"disable_payload_signing\": 1}"),
        WHEN);
  }
}
