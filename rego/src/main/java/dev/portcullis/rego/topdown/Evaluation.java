package dev.portcullis.rego.topdown;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.rego.EvalOptions;
import dev.portcullis.rego.RegoException;
import dev.portcullis.rego.ast.Compiler;
import dev.portcullis.rego.ast.RuleTree;
import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.BooleanValue;
import dev.portcullis.rego.value.NullValue;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs compiled queries. The only way into the evaluator: it enforces the deadline and budgets and makes sure
 * nothing but a {@link RegoException} comes out, whatever the policy or input does.
 */
public final class Evaluation {
  private Evaluation() {}

  /** One solution: the query's variables and, when asked for, the value of each expression. */
  public record Solution(Map<String, Value> bindings, List<Value> expressions) {}

  /**
   * Evaluates a query and returns up to {@code limit} solutions (0 = all).
   *
   * @param input the input document as a value, or null when there is none
   */
  public static List<Solution> run(RuleTree tree, Value data, Compiler.Query q, Value input, EvalOptions options,
                                   boolean expressionValues, int limit) throws RegoException {
    return run(tree, data, q, input, options, expressionValues, limit, null);
  }

  /** As above; {@code coverage}, when not null, sees the location of every expression evaluated. */
  public static List<Solution> run(RuleTree tree, Value data, Compiler.Query q, Value input, EvalOptions options,
                                   boolean expressionValues, int limit,
                                   java.util.function.Consumer<dev.portcullis.rego.Location> coverage)
      throws RegoException {
    long deadline = System.nanoTime() + options.timeout().toNanos();
    Eval eval = new Eval(tree, data, input, deadline, options.maxDepth(), options.maxSize(),
        options.strictBuiltinErrors(), options.print());
    eval.coverage = coverage;
    List<Solution> out = new ArrayList<>();
    try {
      eval.query(q, frame -> {
        Map<String, Value> bindings = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : q.vars().entrySet()) {
          Value v = frame[e.getValue()];
          if (v != null) bindings.put(e.getKey(), v);
        }
        List<Value> exprs = List.of();
        if (expressionValues) {
          exprs = new ArrayList<>();
          for (var e : q.body()) exprs.add(eval.exprValue(e, frame));
        }
        out.add(new Solution(bindings, exprs));
        return limit > 0 && out.size() >= limit;
      });
    } catch (EvalError e) {
      throw e.toRegoException();
    } catch (StackOverflowError e) {
      throw new RegoException("eval_budget_error", "evaluation nested too deeply (stack exhausted)", null);
    } catch (OutOfMemoryError e) {
      throw new RegoException("eval_budget_error", "evaluation ran out of memory", null);
    } catch (RuntimeException e) {
      throw new RegoException("eval_internal_error", String.valueOf(e), null);
    }
    return out;
  }

  /**
   * Converts an input document, refusing documents nested deeper than {@code maxDepth} or larger than
   * {@code maxSize} (counted in nodes plus characters of strings and keys) with {@code eval_budget_error}.
   */
  public static Value fromJson(JsonNode node, int maxDepth, long maxSize) throws RegoException {
    long[] budget = {maxSize};
    return convert(node, 0, maxDepth, budget);
  }

  private static Value convert(JsonNode node, int depth, int maxDepth, long[] budget) throws RegoException {
    if (depth > maxDepth) {
      throw new RegoException("eval_budget_error", "input nested deeper than the depth budget of " + maxDepth, null);
    }
    if (--budget[0] < 0) throw sizeError();
    if (node == null) return NullValue.INSTANCE;
    // one virtual call for the type instead of a chain of isX() tests
    switch (node.getNodeType()) {
      case NULL, MISSING -> {
        return NullValue.INSTANCE;
      }
      case BOOLEAN -> {
        return BooleanValue.of(node.booleanValue());
      }
      case NUMBER -> {
        if (!node.isIntegralNumber()) return NumberValue.of(node.decimalValue());
        return node.canConvertToLong() ? NumberValue.of(node.longValue()) : NumberValue.of(node.bigIntegerValue());
      }
      case STRING -> {
        budget[0] -= node.textValue().length();
        if (budget[0] < 0) throw sizeError();
        return StringValue.of(node.textValue());
      }
      case ARRAY -> {
        Value[] out = new Value[node.size()];
        for (int i = 0; i < out.length; i++) out[i] = convert(node.get(i), depth + 1, maxDepth, budget);
        return ArrayValue.wrap(out);
      }
      case OBJECT -> {
        // a JSON object's field names are distinct
        Value[] keys = new Value[node.size()];
        Value[] values = new Value[keys.length];
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        for (int i = 0; i < keys.length; i++) {
          Map.Entry<String, JsonNode> e = it.next();
          budget[0] -= e.getKey().length();
          keys[i] = StringValue.known(e.getKey());
          values[i] = convert(e.getValue(), depth + 1, maxDepth, budget);
        }
        return ObjectValue.wrapDistinct(keys, values);
      }
      default -> {
        return StringValue.of(node.asText());
      }
    }
  }

  private static RegoException sizeError() {
    return new RegoException("eval_budget_error", "input larger than the size budget", null);
  }
}
