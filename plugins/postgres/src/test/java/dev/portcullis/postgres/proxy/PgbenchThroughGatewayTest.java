package dev.portcullis.postgres.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PgbenchThroughGatewayTest {
  static FixedServices services = new FixedServices();
  static GatewayFixture gateway;

  @BeforeAll
  static void start() throws Exception {
    gateway = new GatewayFixture(services, null, ProxySettings.DEFAULT_MAX_MESSAGE_SIZE);
    GatewayFixture.Run init = GatewayFixture.run(Map.of(), List.of("pgbench", "-i", "-q", "-s", "1", "-h",
        gateway.server.host(), "-p", String.valueOf(gateway.server.port()), "-U", gateway.server.user(),
        gateway.database));
    assertEquals(0, init.exit(), init.err());
  }

  @AfterAll
  static void stop() {
    if (gateway != null) gateway.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"simple", "extended", "prepared"})
  void pgbenchRunsThroughTheGateway(String protocol) throws Exception {
    for (boolean selectOnly : new boolean[] {true, false}) {
      List<String> command = new ArrayList<>(List.of("pgbench", "-n", "-M", protocol, "-c", "2", "-j", "1", "-t",
          "100", "-h", "127.0.0.1", "-p", String.valueOf(gateway.port()), "-U", "agent"));
      if (selectOnly) command.add("-S");
      command.add(gateway.database);
      GatewayFixture.Run run = GatewayFixture.run(Map.of("PGPASSWORD", FixedServices.AGENT_TOKEN), command);
      assertEquals(0, run.exit(), run.out() + run.err());
      assertTrue(run.out().contains("number of transactions actually processed: 200/200"), run.out());
      assertTrue(run.out().contains("number of failed transactions: 0"), run.out());
    }
  }
}
