package dev.portcullis.rego;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A compiled bundle: immutable and safe to evaluate from many threads at once. Compile once, evaluate per request.
 */
public final class Policy {
  private Policy() {}

  /**
   * Loads an OPA bundle folder: every {@code .rego} file below it, {@code data.json}/{@code data.yaml} files merged
   * at the path of their folder, and the {@code .manifest} revision.
   */
  public static Policy compileBundle(Path dir) throws RegoException {
    throw new UnsupportedOperationException("not built yet");
  }

  /** Compiles {@code .rego} files and folders (searched recursively), as {@code opa test a b} loads them. */
  public static Policy compileFiles(List<Path> paths) throws RegoException {
    throw new UnsupportedOperationException("not built yet");
  }

  /** Compiles modules (file name to source) over the given base data document. */
  public static Policy compile(Map<String, String> modules, JsonNode data) throws RegoException {
    throw new UnsupportedOperationException("not built yet");
  }

  /** The bundle's {@code .manifest} revision, or empty. */
  public String revision() {
    throw new UnsupportedOperationException("not built yet");
  }

  /** Every package of the policy as a data reference, e.g. {@code data.portcullis}, sorted. */
  public List<String> packages() {
    throw new UnsupportedOperationException("not built yet");
  }

  /**
   * Evaluates a reference such as {@code data.portcullis.decision} against an input. Empty when undefined.
   */
  public Optional<JsonNode> evaluate(String ref, JsonNode input, EvalOptions options) throws RegoException {
    throw new UnsupportedOperationException("not built yet");
  }

  /** Evaluates a query body such as {@code x := data.main.allow; x == true}; one result per solution. */
  public List<QueryResult> query(String queryBody, JsonNode input, EvalOptions options) throws RegoException {
    throw new UnsupportedOperationException("not built yet");
  }
}
