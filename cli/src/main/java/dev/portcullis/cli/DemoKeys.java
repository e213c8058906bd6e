package dev.portcullis.cli;

import dev.portcullis.gateway.config.GatewayConfig;

/** Keys the demo creates on first run so that a fresh checkout works without setup. */
final class DemoKeys {
  private DemoKeys() {}

  static void ensureLedgerKey(GatewayConfig config) {
    // The ledger's keygen lands with audit-ledger; until then `serve` reports the missing key itself.
  }
}
