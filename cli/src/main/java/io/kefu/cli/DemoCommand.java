package io.kefu.cli;

import io.kefu.simulator.RecordWriter;
import io.kefu.simulator.Simulator;
import io.kefu.simulator.SimulatorConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole pipeline on the embedded default.",
      "No servers to install: simulates a day of a contact centre and summarises it."
    })
final class DemoCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--out",
      defaultValue = "kefu-demo",
      description = "Working directory (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--conversations",
      defaultValue = "20000",
      description = "Conversations in the day (default ${DEFAULT-VALUE}).")
  long conversations;

  @Option(
      names = "--seed",
      defaultValue = "7",
      description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    SimulatorConfig cfg = SimulatorConfig.defaults();
    cfg.conversations = conversations;
    cfg.days = 1;
    cfg.seed = seed;
    Path data = out.resolve("data");
    stdout.printf(
        "1/1 simulating %,d conversations on %s into %s%n", conversations, cfg.startDate, data);
    Simulator.Summary summary =
        SimulateCommand.simulate(
            cfg, data, RecordWriter.Format.JSONL, false, spec.commandLine().getErr());
    Summaries.print(summary, stdout);
    stdout.println();
    stdout.printf("Next: bin/kefu validate %s/events%n", data);
    return 0;
  }
}
