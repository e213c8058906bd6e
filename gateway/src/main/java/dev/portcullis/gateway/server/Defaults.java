package dev.portcullis.gateway.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.portcullis.gateway.masking.ColumnMasker;
import dev.portcullis.gateway.masking.ColumnRef;
import dev.portcullis.gateway.masking.MaskPlan;
import dev.portcullis.gateway.protocol.ResultColumn;
import dev.portcullis.gateway.protocol.ResultMasker;
import dev.portcullis.gateway.session.MaskPlanner;
import dev.portcullis.gateway.session.SqlAnalysis;
import dev.portcullis.gateway.sql.SqlAnalyzer;
import dev.portcullis.gateway.sql.StatementInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** The real SQL analysis and masking behind the session services. */
final class Defaults {
  private static final SqlAnalyzer POSTGRES = SqlAnalyzer.postgres();
  /** Shared for its parse cache; each session's database qualifies its tables. */
  private static final SqlAnalyzer MYSQL = SqlAnalyzer.mysql();

  private Defaults() {}

  /** The dialect of the protocol; HTTP has no SQL, so any SQL there is refused. */
  static SqlAnalysis sqlAnalysis(String protocol) {
    return switch (protocol) {
      case "postgres" -> analysis(database -> POSTGRES);
      case "mysql" -> analysis(database -> MYSQL.withDefaultSchema(database));
      default -> (database, text) -> {
        throw new UnsupportedOperationException("protocol " + protocol + " carries no SQL");
      };
    };
  }

  /** Longest query text analyzed on the caller's thread; longer ones cost enough to go to a worker. */
  private static final int MAX_CHEAP_CHARS = 16_384;

  private static SqlAnalysis analysis(Function<String, SqlAnalyzer> forDatabase) {
    return new SqlAnalysis() {
      @Override
      public ArrayNode statements(String database, String sqlText) {
        return json(forDatabase.apply(database).analyze(sqlText));
      }

      @Override
      public ArrayNode statementsIfCheap(String database, String sqlText) {
        if (sqlText.length() > MAX_CHEAP_CHARS) return null;
        return forDatabase.apply(database).analyzeWithoutParsing(sqlText).map(Defaults::json).orElse(null);
      }
    };
  }

  private static ArrayNode json(List<StatementInfo> statements) {
    ArrayNode out = JsonNodeFactory.instance.arrayNode(statements.size());
    for (StatementInfo s : statements) out.add(s.toJson());
    return out;
  }

  /** How many distinct mask lists are kept validated; a policy answers with a handful, so this is never reached. */
  private static final int MAX_KNOWN_PLANS = 256;

  /**
   * Mask plans with the configured hash key. A policy returns the same few mask lists on statement after statement,
   * so each distinct list is validated once and its plan (immutable) reused; a list that fails is never kept.
   */
  static MaskPlanner maskPlanner(byte[] hashKey) {
    Map<JsonNode, MaskPlan> known = new ConcurrentHashMap<>();
    return masks -> {
      MaskPlan plan = masks == null ? null : known.get(masks);
      if (plan == null) {
        plan = MaskPlan.from(masks, hashKey);
        if (masks != null) {
          if (known.size() >= MAX_KNOWN_PLANS) known.clear();
          known.put(masks.deepCopy(), plan);
        }
      }
      MaskPlan chosen = plan;
      return columns -> masker(chosen, columns);
    };
  }

  private static ResultMasker masker(MaskPlan plan, List<ResultColumn> columns) {
    if (plan.isEmpty()) return ResultMasker.PASS_THROUGH;
    List<ColumnRef> refs = new ArrayList<>(columns.size());
    for (ResultColumn c : columns) refs.add(new ColumnRef(c.name() == null ? "" : c.name(), c.table()));
    ColumnMasker masker = plan.forColumns(refs);
    boolean touchesAny = false;
    for (int i = 0; i < columns.size(); i++) touchesAny |= masker.masks(i);
    if (!touchesAny) return ResultMasker.PASS_THROUGH;
    return new ResultMasker() {
      @Override public boolean passThrough() { return false; }

      @Override public String mask(int column, String value) { return masker.mask(column, value); }
    };
  }

  /** The key of the hash strategy: read from the file, or created there (32 random bytes, owner only) on first use. */
  static byte[] hashKey(Path file) throws IOException {
    if (Files.exists(file)) {
      byte[] key = Files.readAllBytes(file);
      if (key.length < 16) throw new IOException(file + " holds " + key.length + " bytes; a hash key needs at least 16");
      return key;
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Files.write(file, key, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system
    }
    return key;
  }
}
