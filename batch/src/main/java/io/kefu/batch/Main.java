package io.kefu.batch;

import io.kefu.batch.ab.AbCommand;
import io.kefu.batch.profiles.ProfilesCommand;
import io.kefu.batch.qa.QaCommand;
import io.kefu.batch.recommend.InteractionsCommand;
import io.kefu.batch.recommend.RecommendCommand;
import io.kefu.batch.report.ReportCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The batch jar's commands, run by {@code bin/kefu batch ...} (local Spark) or unchanged by {@code
 * spark-submit --class io.kefu.batch.Main kefu-batch.jar ...} on a cluster.
 */
@Command(
    name = "kefu batch",
    mixinStandardHelpOptions = true,
    description = "Batch jobs on Apache Spark over the Parquet event lake.",
    subcommands = {
      QaCommand.class,
      ProfilesCommand.class,
      RecommendCommand.class,
      InteractionsCommand.class,
      ReportCommand.class,
      AbCommand.class,
      NightlyCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  /** Exit code for bad input: a missing lake or partition, a bad rule file, a bad option. */
  public static final int BAD_INPUT = 2;

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
              .println(
                  "kefu batch " + commandLine.getCommandName() + ": error: " + root.getMessage());
          if (System.getenv("KEFU_DEBUG") != null) {
            e.printStackTrace(commandLine.getErr());
          }
          return e instanceof BadInputException ? BAD_INPUT : 1;
        });
    return cl.execute(args);
  }
}
