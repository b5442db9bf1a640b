package io.kefu.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One command-line run with its output captured. Test fixture. */
record CliRun(int exitCode, String out, String err) {

  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Kefu.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
