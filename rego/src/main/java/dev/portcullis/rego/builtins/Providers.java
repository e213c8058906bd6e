package dev.portcullis.rego.builtins;

import dev.portcullis.rego.value.BooleanValue;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.SetValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import dev.portcullis.rego.value.Values;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** {@code providers.aws.sign_req}: AWS Signature Version 4 for a request object shaped like http.send's. */
final class Providers {
  private Providers() {}

  private static final List<String> REQUIRED_CONFIG = List.of("aws_access_key", "aws_region",
      "aws_secret_access_key", "aws_service");
  private static final List<String> REQUIRED_REQUEST = List.of("method", "url");
  /** The request keys http.send accepts; sign_req holds requests to the same shape. */
  private static final Set<String> REQUEST_KEYS = Set.of("method", "url", "body", "enable_redirect",
      "force_json_decode", "force_yaml_decode", "headers", "raw_body", "tls_use_system_certs", "tls_ca_cert",
      "tls_ca_cert_file", "tls_ca_cert_env_variable", "tls_client_cert", "tls_client_cert_file",
      "tls_client_cert_env_variable", "tls_client_key", "tls_client_key_file", "tls_client_key_env_variable",
      "tls_insecure_skip_verify", "tls_server_name", "timeout", "cache", "force_cache",
      "force_cache_duration_seconds", "raise_error", "caching_mode", "max_retry_attempts", "cache_ignored_headers");
  /** Headers a proxy may rewrite, which therefore stay out of the signature. */
  private static final Set<String> UNSIGNED_HEADERS = Set.of("authorization", "user-agent", "x-amzn-trace-id");
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  static void register(BuiltinTable t) {
    t.register("providers.aws.sign_req", 3, (ctx, a) -> signRequest(a));
  }

  private static ObjectValue signRequest(Value[] a) throws BuiltinException {
    ObjectValue req = Args.object(a, 0);
    if (!(a[1] instanceof ObjectValue config)) throw Args.mismatch(0, "object", a[1]);
    checkConfig(config);
    if (!(a[2] instanceof NumberValue ts)) throw Args.mismatch(0, "number", a[2]);
    // OPA reads the number's text as an int64, so exponent forms such as 1e9 are refused like fractions.
    if (!ts.fitsLong() || ts.bigDecimal().scale() < 0) throw BuiltinException.type("operand 3 could not convert time_ns value into a unix timestamp");
    long nanos = ts.longValueExact();
    checkRequestKeys(req);

    ObjectValue headers = ObjectValue.EMPTY;
    Value headersValue = req.get("headers");
    if (headersValue != null) {
      if (!(headersValue instanceof ObjectValue h)) throw Args.mismatch(-1, "object", headersValue);
      headers = h;
    }
    List<String> invalid = new ArrayList<>();
    if (!(req.get("method") instanceof StringValue)) invalid.add("method");
    if (!(req.get("url") instanceof StringValue)) invalid.add("url");
    if (!invalid.isEmpty()) {
      throw BuiltinException.type("operand 1 invalid values for required request parameters(s): " + setText(invalid));
    }
    String method = ((StringValue) req.get("method")).value();
    URI url;
    try {
      url = new URI(((StringValue) req.get("url")).value());
    } catch (URISyntaxException e) {
      throw BuiltinException.error("parse " + Values.toJson(req.get("url")) + ": " + e.getReason());
    }
    byte[] body = body(req);
    boolean unsignedPayload = false;
    Value flag = config.get("disable_payload_signing");
    if (flag != null) {
      if (!(flag instanceof BooleanValue b)) {
        throw BuiltinException.type("operand 2 invalid value for 'disable_payload_signing' in AWS config");
      }
      unsignedPayload = b.value();
    }

    Map<String, String> given = new LinkedHashMap<>();
    for (Value k : headers.keys()) given.put(text(k), text(headers.get(k)));
    String service = text(config.get("aws_service"));
    String region = text(config.get("aws_region"));
    Value token = config.get("aws_session_token");
    Instant when = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    String date = DATE.format(when), stamp = STAMP.format(when);
    String contentHash = unsignedPayload ? "UNSIGNED-PAYLOAD" : Encoding.hex(sha256(body));

    Map<String, String> awsHeaders = new LinkedHashMap<>();
    String authority = url.getRawAuthority() == null ? "" : url.getRawAuthority();
    awsHeaders.put("host", authority.substring(authority.indexOf('@') + 1));
    awsHeaders.put("x-amz-date", stamp);
    // S3 and Glacier want the payload hash as a header too; other services do not.
    if (service.equals("s3") || service.equals("glacier")) awsHeaders.put("x-amz-content-sha256", contentHash);
    if (token != null && !text(token).isEmpty()) awsHeaders.put("x-amz-security-token", text(token));

    TreeMap<String, String> toSign = new TreeMap<>(awsHeaders);
    given.forEach((k, v) -> {
      String lower = k.toLowerCase(java.util.Locale.ROOT);
      if (!UNSIGNED_HEADERS.contains(lower)) toSign.put(lower, v);
    });
    StringBuilder canonical = new StringBuilder();
    canonical.append(method).append('\n');
    canonical.append(url.getRawPath() == null ? "" : url.getRawPath()).append('\n');
    canonical.append(url.getRawQuery() == null ? "" : url.getRawQuery()).append('\n');
    toSign.forEach((k, v) -> canonical.append(k).append(':').append(v).append('\n'));
    canonical.append('\n');
    String signedHeaders = String.join(";", toSign.keySet());
    canonical.append(signedHeaders).append('\n').append(contentHash);

    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String stringToSign = "AWS4-HMAC-SHA256\n" + stamp + "\n" + scope + "\n"
        + Encoding.hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    byte[] key = mac(("AWS4" + text(config.get("aws_secret_access_key"))).getBytes(StandardCharsets.UTF_8), date);
    key = mac(key, region);
    key = mac(key, service);
    key = mac(key, "aws4_request");
    String signature = Encoding.hex(mac(key, stringToSign));
    String authorization = "AWS4-HMAC-SHA256 Credential=" + text(config.get("aws_access_key")) + "/" + scope
        + ",SignedHeaders=" + signedHeaders + ",Signature=" + signature;

    Map<Value, Value> signed = new LinkedHashMap<>();
    given.forEach((k, v) -> signed.put(StringValue.of(k), StringValue.of(v)));
    signed.put(StringValue.of("Authorization"), StringValue.of(authorization));
    awsHeaders.forEach((k, v) -> signed.put(StringValue.of(k), StringValue.of(v)));
    Map<Value, Value> out = new LinkedHashMap<>(req.map());
    out.put(StringValue.of("headers"), ObjectValue.wrap(signed));
    return ObjectValue.wrap(out);
  }

  private static void checkConfig(ObjectValue config) throws BuiltinException {
    List<String> missing = new ArrayList<>(), invalid = new ArrayList<>();
    for (String k : REQUIRED_CONFIG) {
      Value v = config.get(k);
      if (v == null) missing.add(k); else if (!(v instanceof StringValue)) invalid.add(k);
    }
    if (!missing.isEmpty()) {
      throw BuiltinException.type("operand 2 missing required AWS config parameters(s): " + setText(missing));
    }
    if (!invalid.isEmpty()) {
      throw BuiltinException.type("operand 2 invalid values for required AWS config parameters(s): " + setText(invalid));
    }
  }

  private static void checkRequestKeys(ObjectValue req) throws BuiltinException {
    List<Value> unknown = new ArrayList<>();
    for (Value k : req.keys()) if (!(k instanceof StringValue s) || !REQUEST_KEYS.contains(s.value())) unknown.add(k);
    if (!unknown.isEmpty()) {
      throw BuiltinException.type("operand 1 invalid request parameters(s): " + setText(SetValue.of(unknown)));
    }
    List<String> missing = new ArrayList<>();
    for (String k : REQUIRED_REQUEST) if (req.get(k) == null) missing.add(k);
    if (!missing.isEmpty()) {
      throw BuiltinException.type("operand 1 missing required request parameters(s): " + setText(missing));
    }
  }

  /** {@code raw_body} as is, else {@code body} as compact JSON, else nothing. */
  private static byte[] body(ObjectValue req) {
    Value raw = req.get("raw_body");
    if (raw != null) return text(raw).getBytes(StandardCharsets.UTF_8);
    Value body = req.get("body");
    if (body != null) return Values.toJson(body).getBytes(StandardCharsets.UTF_8);
    return new byte[0];
  }

  /** A set of names as OPA prints one: {"a", "b"}. */
  private static String setText(List<String> names) {
    return setText(SetValue.of(names.stream().map(StringValue::of).toList()));
  }

  private static String setText(SetValue set) {
    StringBuilder sb = new StringBuilder("{");
    for (Value v : set.sorted()) {
      if (sb.length() > 1) sb.append(", ");
      sb.append(Values.toJson(v));
    }
    return sb.append('}').toString();
  }

  private static String text(Value v) { return v instanceof StringValue s ? s.value() : ""; }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always provides SHA-256", e);
    }
  }

  private static byte[] mac(byte[] key, String message) {
    return Crypto.hmacBytes("HmacSHA256", key, message.getBytes(StandardCharsets.UTF_8));
  }
}
