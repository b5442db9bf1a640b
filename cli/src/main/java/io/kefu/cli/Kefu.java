package io.kefu.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code kefu}: the engine-free launcher. Flink and Spark jobs ({@code kpis}, {@code stream},
 * {@code batch}) run from their own jars, which {@code bin/kefu} picks, so the two engines never
 * share a classpath.
 */
@Command(
    name = "kefu",
    mixinStandardHelpOptions = true,
    versionProvider = Kefu.Version.class,
    description = "客服 — customer-service analytics and quality audit.",
    subcommands = {
      DemoCommand.class,
      SimulateCommand.class,
      ValidateCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 success, 1 failure, 2 invalid input or usage.",
      "Run 'kefu COMMAND --help' for a command's options."
    })
public final class Kefu implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code (tests call this instead of main). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Kefu());
    cl.setOut(
        new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
    cl.setErr(
        new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine
              .getErr()
              .println("kefu " + commandLine.getCommandName() + ": error: " + message(e));
          if (System.getenv("KEFU_DEBUG") != null) {
            e.printStackTrace(commandLine.getErr());
          }
          return 1;
        });
    return cl;
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }

  /** Version from the jar manifest, or "dev". */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Kefu.class.getPackage().getImplementationVersion();
      return new String[] {"kefu " + (v == null ? "dev" : v)};
    }
  }
}
