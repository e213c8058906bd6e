package dev.portcullis.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process and captures what it prints. */
record Run(int exit, String out, String err) {
  static Run of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    var oldOut = System.out;
    var oldErr = System.err;
    var sysOut = new java.io.ByteArrayOutputStream();
    var sysErr = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(sysOut, true));
    System.setErr(new java.io.PrintStream(sysErr, true));
    int exit;
    try {
      exit = cli.execute(args);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    return new Run(exit, out + sysOut.toString(), err + sysErr.toString());
  }

  String lastLine() {
    String[] lines = out.strip().split("\n");
    return lines[lines.length - 1];
  }
}
