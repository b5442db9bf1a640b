package io.kefu.streaming;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The streaming jar's commands: {@code kpis} (bounded) and {@code stream} (unbounded). */
@Command(
    name = "kefu",
    mixinStandardHelpOptions = true,
    description = "Real-time KPI jobs on Apache Flink.",
    subcommands = {KpisCommand.class, StreamCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(
        execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          Throwable root = e;
          while (root.getCause() != null && root.getMessage() == null) {
            root = root.getCause();
          }
          commandLine
              .getErr()
              .println("kefu " + commandLine.getCommandName() + ": error: " + root.getMessage());
          if (System.getenv("KEFU_DEBUG") != null) {
            e.printStackTrace(commandLine.getErr());
          }
          return 1;
        });
    return cl.execute(args);
  }
}
