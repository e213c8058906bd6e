package dev.portcullis.gateway.policy;

import com.bisnode.opa.client.OpaClientException;
import com.bisnode.opa.client.OpaConfiguration;
import com.bisnode.opa.client.query.OpaQueryClient;
import com.bisnode.opa.client.query.QueryForDocumentRequest;
import com.bisnode.opa.client.rest.OpaRestClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Optional;

/**
 * A running OPA server, asked through its Data API ({@code POST /v1/data/<path>}) with opa-java-client. Every
 * request carries the policy timeout, so a slow or hung server denies instead of holding the statement.
 */
public final class OpaEngine implements PolicyEngine {
  private static final String UNDEFINED_PREFIX = "Result is empty";

  private final URI url;
  private final OpaQueryClient client;

  public OpaEngine(URI url, Duration timeout) {
    this.url = url;
    HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
    OpaRestClient rest = new OpaRestClient(new OpaConfiguration(url.toString()), http, new ObjectMapper()) {
      @Override
      public HttpRequest.Builder getBasicRequestBuilder(String endpoint) {
        return super.getBasicRequestBuilder(endpoint).timeout(timeout);
      }
    };
    this.client = new OpaQueryClient(rest);
  }

  @Override
  public Optional<JsonNode> evaluate(String ref, JsonNode input) throws PolicyException {
    String path = ref.startsWith("data.") ? ref.substring(5).replace('.', '/') : ref.replace('.', '/');
    try {
      JsonNode result = client.queryForDocument(new QueryForDocumentRequest(input, path), JsonNode.class);
      return result == null || result.isNull() || result.isMissingNode() ? Optional.empty() : Optional.of(result);
    } catch (OpaClientException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(UNDEFINED_PREFIX)) return Optional.empty();
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new PolicyException("OPA at " + url + " failed: " + cause, e);
    } catch (RuntimeException e) {
      throw new PolicyException("OPA at " + url + " failed: " + e, e);
    }
  }

  /** OPA's revision is not part of the Data API answer; the ledger names the server instead. */
  @Override
  public String revision() {
    return "opa:" + url;
  }
}
