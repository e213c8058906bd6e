package dev.portcullis.conftest.cli;

import picocli.CommandLine.Command;

/** {@code portcullis policy}: the policy-as-code tools CI and reviewers run. */
@Command(name = "policy", mixinStandardHelpOptions = true,
    description = "Test, check, evaluate and replay Rego policies with the embedded engine.",
    subcommands = {TestCommand.class, CheckCommand.class, EvalCommand.class, ReplayCommand.class})
public final class PolicyCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
