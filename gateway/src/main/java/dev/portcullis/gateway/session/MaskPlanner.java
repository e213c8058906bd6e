package dev.portcullis.gateway.session;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.portcullis.gateway.protocol.ResultColumn;
import dev.portcullis.gateway.protocol.ResultMasker;
import java.util.List;
import java.util.function.Function;

/** Turns a mask decision's {@code masks} into maskers per result shape. */
@FunctionalInterface
public interface MaskPlanner {
  /** Throws {@link IllegalArgumentException} when the masks cannot be applied (the decision then denies). */
  Function<List<ResultColumn>, ResultMasker> plan(ArrayNode masks);
}
