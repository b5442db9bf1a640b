package io.kefu.cli;

import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.json.ConversationEventCodec;
import io.kefu.schemas.json.InvalidRecordException;
import io.kefu.schemas.json.JsonLines;
import io.kefu.schemas.json.RecordJsonCodec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificData;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check conversation-event files against the wire format.",
      "Reads JSON lines, .jsonl.gz or Parquet (directories are searched). Prints",
      "FILE:LINE: problem: field, expected, found for every bad line, then a summary.",
      "Exit code 2 when any line is bad."
    })
final class ValidateCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Event files or directories.")
  List<Path> inputs;

  @Option(
      names = "--max-errors",
      defaultValue = "0",
      description = "Print at most this many bad lines (0 = all; the summary counts them all).")
  long maxErrors;

  @Option(
      names = "--max-line-bytes",
      defaultValue = "" + RecordJsonCodec.DEFAULT_MAX_BYTES,
      description = "Longest accepted line (default ${DEFAULT-VALUE}).")
  int maxLineBytes;

  private final Map<String, Long> problems = new TreeMap<>();
  private final Set<String> eventIds = new HashSet<>();
  private long lines;
  private long valid;
  private long invalid;
  private long duplicates;
  private long printed;
  private boolean unreadable;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ConversationEventCodec codec = new ConversationEventCodec(maxLineBytes);
    for (Path file : files(err)) {
      long before = lines;
      long invalidBefore = invalid;
      try {
        if (file.getFileName().toString().endsWith(".parquet")) {
          validateParquet(file, out);
        } else {
          validateJsonLines(file, codec, out);
        }
      } catch (IOException | RuntimeException e) {
        unreadable = true;
        err.printf("%s: cannot read: %s%n", file, e.getMessage());
        continue;
      }
      err.printf("%s: %,d records, %,d invalid%n", file, lines - before, invalid - invalidBefore);
    }
    out.printf(
        "%,d records: %,d valid, %,d invalid; %,d duplicate event_id%s%n",
        lines, valid, invalid, duplicates, duplicates == 1 ? "" : "s");
    if (!problems.isEmpty()) {
      StringBuilder sb = new StringBuilder("invalid by problem:");
      problems.forEach((p, n) -> sb.append(' ').append(p).append('=').append(n));
      out.println(sb);
    }
    out.flush();
    return invalid > 0 || unreadable ? 2 : 0;
  }

  private List<Path> files(PrintWriter err) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path input : inputs) {
      if (Files.isDirectory(input)) {
        try (Stream<Path> walk = Files.walk(input)) {
          walk.filter(Files::isRegularFile)
              .filter(p -> isEventFile(p.getFileName().toString()))
              .sorted()
              .forEach(files::add);
        }
      } else if (Files.isRegularFile(input)) {
        files.add(input);
      } else {
        unreadable = true;
        err.printf("%s: no such file or directory%n", input);
      }
    }
    return files;
  }

  private static boolean isEventFile(String name) {
    return name.endsWith(".jsonl") || name.endsWith(".jsonl.gz") || name.endsWith(".parquet");
  }

  private void validateJsonLines(Path file, ConversationEventCodec codec, PrintWriter out)
      throws IOException {
    try (JsonLines in = JsonLines.open(file, maxLineBytes)) {
      while (in.next()) {
        lines++;
        try {
          accept(codec.parse(in));
        } catch (InvalidRecordException e) {
          reject(file + ":" + e.line(), e, out);
        }
      }
    } catch (NoSuchFileException e) {
      throw new IOException("no such file");
    }
  }

  private void validateParquet(Path file, PrintWriter out) throws IOException {
    try (ParquetReader<ConversationEvent> reader =
        AvroParquetReader.<ConversationEvent>builder(new LocalInputFile(file))
            .withDataModel(SpecificData.getForClass(ConversationEvent.class))
            .build()) {
      long row = 0;
      for (ConversationEvent e = reader.read(); e != null; e = reader.read()) {
        row++;
        lines++;
        try {
          ConversationEventCodec.validate(e);
          accept(e);
        } catch (InvalidRecordException ex) {
          reject(file + ":row " + row, ex, out);
        }
      }
    }
  }

  private void accept(ConversationEvent e) {
    valid++;
    if (!eventIds.add(e.getEventId())) {
      duplicates++;
    }
  }

  private void reject(String where, InvalidRecordException e, PrintWriter out) {
    invalid++;
    problems.merge(e.problem().label(), 1L, Long::sum);
    if (maxErrors == 0 || printed < maxErrors) {
      out.println(where + ": " + e.getMessage());
      printed++;
    } else if (printed == maxErrors) {
      out.println("… more bad lines not shown (--max-errors " + maxErrors + ")");
      printed++;
    }
  }
}
