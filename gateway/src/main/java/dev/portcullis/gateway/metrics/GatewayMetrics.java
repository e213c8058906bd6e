package dev.portcullis.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The gateway's metrics in the Prometheus text format ({@code GET /metrics} on the admin listener). One instance
 * per running gateway; every name starts with {@code portcullis_}.
 */
public final class GatewayMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer decisionLatency;
  private final Timer ledgerAppend;
  private final AtomicInteger openSessions = new AtomicInteger();

  public GatewayMetrics() {
    decisionLatency = Timer.builder("portcullis.decision.latency")
        .description("From receiving a request to its decision being durable in the ledger")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(5)).register(registry);
    ledgerAppend = Timer.builder("portcullis.ledger.append.latency")
        .description("One ledger append, until the entry is durable")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(5)).register(registry);
    Gauge.builder("portcullis.sessions.open", openSessions, AtomicInteger::get)
        .description("Client sessions currently open").register(registry);
    for (String outcome : new String[] {"allow", "mask", "require_approval", "deny"}) decisions(outcome);
    notificationFailures("webhook");
    notificationFailures("slack");
  }

  /** A decision was recorded; {@code latency} runs from the request's arrival. */
  public void decided(String outcome, Duration latency) {
    decisions(outcome).increment();
    decisionLatency.record(latency);
  }

  private Counter decisions(String outcome) {
    return Counter.builder("portcullis.decisions").tag("outcome", outcome)
        .description("Decisions recorded, by outcome").register(registry);
  }

  public void ledgerAppended(Duration latency) { ledgerAppend.record(latency); }

  public void sessionOpened() { openSessions.incrementAndGet(); }

  public void sessionClosed() { openSessions.decrementAndGet(); }

  /** Reports the approval requests waiting for a verdict, read at each scrape. */
  public void pendingApprovals(IntSupplier pending) {
    Gauge.builder("portcullis.approvals.pending", pending::getAsInt)
        .description("Approval requests waiting for a verdict").register(registry);
  }

  /** A notification was given up on after its last attempt. */
  public void notificationFailed(String format) { notificationFailures(format).increment(); }

  private Counter notificationFailures(String format) {
    return Counter.builder("portcullis.notification.failures").tag("format", format)
        .description("Notifications given up on after every retry").register(registry);
  }

  /** Every metric in the Prometheus text exposition format. */
  public String scrape() { return registry.scrape(); }
}
