package dev.portcullis.postgres.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.gateway.protocol.ConnectionSettings;
import dev.portcullis.gateway.protocol.UpstreamSettings;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProxySettingsTest {
  private static ConnectionSettings connection(String options) throws Exception {
    JsonNode json = new ObjectMapper().readTree(options);
    return new ConnectionSettings("pg", "postgres", List.of(), new InetSocketAddress("127.0.0.1", 0),
        Optional.empty(), new UpstreamSettings("127.0.0.1", 5432, "postgres", List.of(),
        UpstreamSettings.Tls.DISABLED, Optional::empty), json);
  }

  @Test
  void maxMessageSizeDefaultsTo64MegabytesAndCanBeSet() throws Exception {
    assertEquals(64 << 20, ProxySettings.of(connection("{}")).maxMessageSize());
    assertEquals(1 << 20, ProxySettings.of(connection("{\"max_message_size\": 1048576}")).maxMessageSize());
  }

  @Test
  void aBadMaxMessageSizeIsRefusedWithItsName() {
    IllegalArgumentException notNumber = assertThrows(IllegalArgumentException.class,
        () -> ProxySettings.of(connection("{\"max_message_size\": \"big\"}")));
    assertTrue(notNumber.getMessage().contains("options.max_message_size"), notNumber.getMessage());
    IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class,
        () -> ProxySettings.of(connection("{\"max_message_size\": 10}")));
    assertTrue(tooSmall.getMessage().contains("max_message_size"), tooSmall.getMessage());
  }
}
