package io.kefu.cli;

import java.io.OutputStreamWriter;
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
      PostgresCommand.class,
      ValidateCommand.class,
      AuditCommand.class,
      SandboxCommand.class,
      SentimentCommand.class,
      DashboardCommand.class,
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

  /** Runs a command line on standard output and error, and returns its exit code. */
  public static int execute(String... args) {
    return execute(
        new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
        new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true),
        args);
  }

  /** Runs a command line writing to the given streams (tests use this). */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = commandLine();
    cl.setOut(out);
    cl.setErr(err);
    return cl.execute(args);
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Kefu()).setCaseInsensitiveEnumValuesAllowed(true);
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
