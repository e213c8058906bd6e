package dev.portcullis.cli;

import dev.portcullis.gateway.config.ConfigException;
import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.server.Gateway;
import dev.portcullis.gateway.server.GatewayException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code portcullis serve --config FILE}: runs the gateway until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Runs the gateway: one listener per configured connection, until Ctrl-C.")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, paramLabel = "FILE", description = "the gateway's YAML configuration")
  Path config;

  @Override
  public Integer call() throws Exception {
    GatewayConfig cfg;
    try {
      cfg = GatewayConfig.load(config);
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    Gateway gateway;
    try {
      gateway = Gateway.builder(cfg).start();
    } catch (GatewayException e) {
      System.err.println("portcullis: cannot start: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      gateway.close();
      stopped.countDown();
    }, "portcullis-shutdown"));
    for (GatewayConfig.Connection c : cfg.connections()) {
      System.out.println("portcullis: " + c.name() + " (" + c.protocol() + ") listening on "
          + gateway.address(c.name()) + " in front of " + c.upstream().host() + ":" + c.upstream().port());
    }
    if (cfg.admin() != null) System.out.println("portcullis: console and admin API on " + gateway.consoleUrl());
    System.out.println("portcullis: ready (Ctrl-C stops)");
    stopped.await();
    return 0;
  }
}
