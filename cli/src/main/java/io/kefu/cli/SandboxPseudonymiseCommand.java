package io.kefu.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kefu.audit.sandbox.SandboxCrypto;
import io.kefu.audit.sandbox.SandboxKeys;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Brings a side file (orders, browsing, an operation log, a CRM extract) into the sandbox: its
 * customer ids become the same pseudonyms the KPI job gives them, so that batch jobs join the lake
 * and the file on one key and no raw id reaches an analyst.
 */
@Command(
    name = "pseudonymise",
    aliases = "pseudonymize",
    mixinStandardHelpOptions = true,
    description = {
      "Replace customer ids in a JSON-lines file by their sandbox pseudonyms (the lake's),",
      "e.g. the shop's orders and browsing before `kefu batch profiles|interactions`.",
      "Values that already are pseudonyms are kept; a field that equals the replaced id",
      "(--also-if-equal, e.g. resource_id of an operation log) is replaced too.",
      "Reads and writes .gz when the name says so. A malformed line is an error naming",
      "the file and line; nothing is written then."
    })
final class SandboxPseudonymiseCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--in", required = true, paramLabel = "FILE", description = "JSON lines.")
  Path in;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "JSON lines.")
  Path out;

  @Option(
      names = "--keys",
      required = true,
      paramLabel = "DIR",
      description = "The sandbox keys (as given to kefu kpis --sandbox-keys).")
  Path keys;

  @Option(
      names = "--field",
      defaultValue = "customer_id",
      paramLabel = "NAME",
      description = "Field holding the customer id (default ${DEFAULT-VALUE}).")
  String field;

  @Option(
      names = "--also-if-equal",
      split = ",",
      paramLabel = "NAME",
      description = "Other fields replaced when they hold the same id.")
  List<String> alsoIfEqual = List.of();

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Integer call() throws IOException {
    if (in.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--out must differ from --in (" + in + ")");
    }
    Result r = pseudonymise(in, out, new SandboxCrypto(SandboxKeys.load(keys)), field, alsoIfEqual);
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.printf(
        "%s: %,d lines, %,d customer ids pseudonymised (%,d already pseudonyms) into %s%n",
        in, r.lines(), r.replaced(), r.kept(), out);
    return 0;
  }

  record Result(long lines, long replaced, long kept) {}

  /** Writes {@code out} through a temporary file, so a failure leaves no partial output. */
  static Result pseudonymise(
      Path in, Path out, SandboxCrypto crypto, String field, List<String> alsoIfEqual)
      throws IOException {
    Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), ".pseudonymise", ".tmp");
    long lines = 0;
    long replaced = 0;
    long kept = 0;
    try {
      try (BufferedReader r = reader(in);
          BufferedWriter w = writer(tmp, out.getFileName().toString().endsWith(".gz"))) {
        String line;
        while ((line = r.readLine()) != null) {
          lines++;
          if (line.isBlank()) {
            continue;
          }
          ObjectNode record;
          try {
            JsonNode node = JSON.readTree(line);
            if (!(node instanceof ObjectNode o)) {
              throw new IllegalArgumentException(
                  in + ":" + lines + ": expected a JSON object, found " + node.getNodeType());
            }
            record = o;
          } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                in + ":" + lines + ": not JSON: " + e.getOriginalMessage());
          }
          JsonNode id = record.get(field);
          if (id != null && !id.isNull()) {
            if (!id.isTextual()) {
              throw new IllegalArgumentException(
                  in + ":" + lines + ": field " + field + ": expected a string, found " + id);
            }
            String raw = id.asText();
            if (SandboxCrypto.isPseudonym(raw)) {
              kept++;
            } else {
              String p = crypto.pseudonym(raw);
              for (String other : alsoIfEqual) {
                if (raw.equals(record.path(other).asText(null))) {
                  record.put(other, p);
                }
              }
              record.put(field, p);
              replaced++;
            }
          }
          w.write(JSON.writeValueAsString(record));
          w.write('\n');
        }
      }
      Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return new Result(lines, replaced, kept);
  }

  private static BufferedReader reader(Path file) throws IOException {
    InputStream s = Files.newInputStream(file);
    if (file.getFileName().toString().endsWith(".gz")) {
      s = new GZIPInputStream(s, 1 << 16);
    }
    return new BufferedReader(new InputStreamReader(s, StandardCharsets.UTF_8), 1 << 16);
  }

  private static BufferedWriter writer(Path file, boolean gzip) throws IOException {
    OutputStream s = Files.newOutputStream(file);
    if (gzip) {
      s = new GZIPOutputStream(s, 1 << 16);
    }
    return new BufferedWriter(new OutputStreamWriter(s, StandardCharsets.UTF_8), 1 << 16);
  }
}
