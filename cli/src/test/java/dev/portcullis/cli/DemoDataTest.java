package dev.portcullis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.testkit.TestDatabases;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoDataTest {
  @Test
  void createsTheSampleShopWithPersonalDataAndCanRecreateIt() throws Exception {
    TestDatabases.Server pg = TestDatabases.postgres();
    String db = TestDatabases.createPostgresDatabase("demo_test");
    try {
      DemoData.create(pg.host(), pg.port(), pg.user(), db);
      DemoData.create(pg.host(), pg.port(), pg.user(), db);
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgresql", db), pg.user(), pg.password());
           ResultSet rs = c.createStatement().executeQuery(
               "SELECT count(*), count(email), count(card_number), count(phone) FROM customers")) {
        rs.next();
        assertEquals(List.of(5, 5, 4, 5), List.of(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4)));
      }
    } finally {
      TestDatabases.dropPostgres(db);
    }
  }

  @Test
  void theInstructionsAreReadyToPaste() {
    Path home = Path.of("/opt/portcullis");
    String text = DemoCommand.instructions(home, home.resolve("examples/postgres.yaml"),
        new InetSocketAddress("127.0.0.1", 15432), "AGENT.JWT", "DBA.JWT",
        new dev.portcullis.gateway.config.GatewayConfig.Upstream("127.0.0.1", 5432, "postgres", List.of(), null, null, null));
    assertTrue(text.contains("export AGENT_TOKEN='AGENT.JWT'"), text);
    assertTrue(text.contains("PGPASSWORD=\"$AGENT_TOKEN\" psql \"host=127.0.0.1 port=15432 dbname=portcullis_demo user=cursor-agent\" -c \"DROP TABLE customers\""), text);
    assertTrue(text.contains("/opt/portcullis/portcullis approvals approve <approval id> --config /opt/portcullis/examples/postgres.yaml --token \"$DBA_TOKEN\""), text);
    assertTrue(text.contains("/opt/portcullis/portcullis ledger verify --config /opt/portcullis/examples/postgres.yaml"), text);
  }
}
