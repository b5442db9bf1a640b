package io.kefu.cli;

import io.kefu.simulator.FileOutput;
import io.kefu.simulator.RecordWriter;
import io.kefu.simulator.Simulator;
import io.kefu.simulator.SimulatorConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Simulate a contact centre's traffic into files.",
      "Writes conversation events, customers (with PII), orders, browsing and the",
      "operation log, with the ground truth of everything injected under OUT/truth.",
      "The same options and seed give byte-identical files."
    })
final class SimulateCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, description = "Output directory.")
  Path out;

  @Option(
      names = "--conversations",
      description = "Conversations in all, spread over the days (default: the config's, 10000).")
  Long conversations;

  @Option(names = "--days", description = "Days to simulate.")
  Integer days;

  @Option(names = "--seed", description = "Random seed.")
  Long seed;

  @Option(names = "--start", description = "First day (yyyy-mm-dd), in the configured zone.")
  LocalDate start;

  @Option(
      names = "--format",
      defaultValue = "jsonl",
      description = "Output format: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  RecordWriter.Format format;

  @Option(names = "--gzip", description = "Gzip JSON-lines files.")
  boolean gzip;

  @Option(
      names = "--ab",
      description = "Run the A/B experiment arms of the config (old and new system).")
  boolean ab;

  @Option(names = "--config", description = "YAML file overriding the built-in defaults.")
  Path config;

  @Override
  public Integer call() throws Exception {
    SimulatorConfig cfg =
        config == null ? SimulatorConfig.defaults() : SimulatorConfig.load(config);
    if (conversations != null) {
      cfg.conversations = conversations;
    }
    if (days != null) {
      cfg.days = days;
    }
    if (seed != null) {
      cfg.seed = seed;
    }
    if (start != null) {
      cfg.startDate = start;
    }
    if (ab) {
      cfg.experiment.enabled = true;
    }
    PrintWriter err = spec.commandLine().getErr();
    Simulator.Summary summary = simulate(cfg, out, format, gzip, err);
    PrintWriter stdout = spec.commandLine().getOut();
    Summaries.print(summary, stdout);
    stdout.printf("wrote %s%n", out.toAbsolutePath());
    return 0;
  }

  static Simulator.Summary simulate(
      SimulatorConfig cfg, Path out, RecordWriter.Format format, boolean gzip, PrintWriter err)
      throws Exception {
    Simulator simulator = new Simulator(cfg);
    ProgressLine progress = new ProgressLine(err, ZoneId.of(cfg.zone));
    Simulator.Summary summary;
    try (FileOutput output = new FileOutput(out, format, gzip)) {
      output.configuration(cfg.toYaml());
      summary = simulator.run(output, progress::simulated);
    }
    progress.done();
    return summary;
  }
}
