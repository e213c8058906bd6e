package dev.portcullis.gateway.server;

import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.session.MaskPlanner;
import dev.portcullis.gateway.session.SqlAnalysis;

/** The real SQL analysis and masking, per protocol. */
final class Defaults {
  private Defaults() {}

  static SqlAnalysis sqlAnalysis(String protocol) {
    return (database, text) -> {
      throw new UnsupportedOperationException("no SQL analysis for protocol " + protocol + " yet");
    };
  }

  static MaskPlanner maskPlanner(GatewayConfig.Masking masking) {
    return masks -> {
      throw new IllegalArgumentException("masking is not available yet");
    };
  }
}
