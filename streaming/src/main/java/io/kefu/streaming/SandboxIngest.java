package io.kefu.streaming;

import io.kefu.audit.sandbox.EventSandbox;
import io.kefu.audit.sandbox.NameDictionary;
import io.kefu.audit.sandbox.PiiRedactor;
import io.kefu.audit.sandbox.PiiType;
import io.kefu.audit.sandbox.SandboxCrypto;
import io.kefu.audit.sandbox.SandboxKeys;
import io.kefu.audit.sandbox.VaultEntry;
import io.kefu.schemas.ConversationEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The sandbox at ingest, first after validation: the customer id becomes its pseudonym, personal
 * data in text becomes placeholders ({@link EventSandbox}), and the originals, encrypted, go to the
 * {@link #VAULT} side output — the vault table when the job writes PostgreSQL, nowhere otherwise.
 * Nothing downstream (sessions, scores, QA, alerts, the lake) ever sees an original. It changes the
 * event in place, which is safe under object reuse because it runs before anything else sees it.
 *
 * <p>Keys are loaded in {@code open()} from the keys directory, and the CRM's names from the
 * customers file, so both must be readable where the task runs. Redactions per kind are metrics
 * ({@code sandbox.redacted.PHONE}, …) and accumulators of the same names (the {@code kpis}
 * summary).
 */
final class SandboxIngest extends ProcessFunction<ConversationEvent, ConversationEvent> {
  private static final long serialVersionUID = 1L;

  static final OutputTag<VaultEntry> VAULT =
      new OutputTag<>("vault", TypeInformation.of(VaultEntry.class));

  /** Accumulator and metric name of one kind's count. */
  static String counterName(PiiType t) {
    return t == PiiType.CUSTOMER_ID
        ? "sandbox.pseudonymised"
        : "sandbox.redacted." + t.name().toLowerCase(Locale.ROOT);
  }

  private final String keysDir;
  private final String customersFile;
  private final boolean keepOriginals;

  private transient EventSandbox sandbox;
  private transient Counter[] metrics;
  private transient LongCounter[] accumulators;
  private transient long[] reported;

  SandboxIngest(String keysDir, String customersFile, boolean keepOriginals) {
    this.keysDir = keysDir;
    this.customersFile = customersFile;
    this.keepOriginals = keepOriginals;
  }

  @Override
  public void open(OpenContext context) throws IOException {
    SandboxCrypto crypto = new SandboxCrypto(SandboxKeys.load(Path.of(keysDir)));
    PiiRedactor redactor =
        customersFile == null
            ? PiiRedactor.patterns()
            : PiiRedactor.withNames(NameDictionary.load(Path.of(customersFile)));
    sandbox = new EventSandbox(crypto, redactor);
    MetricGroup group = getRuntimeContext().getMetricGroup();
    PiiType[] types = PiiType.values();
    metrics = new Counter[types.length];
    accumulators = new LongCounter[types.length];
    reported = new long[types.length];
    for (PiiType t : types) {
      metrics[t.ordinal()] = group.counter(counterName(t));
      accumulators[t.ordinal()] = getRuntimeContext().getLongCounter(counterName(t));
    }
  }

  @Override
  public void processElement(ConversationEvent e, Context ctx, Collector<ConversationEvent> out) {
    sandbox.apply(
        e,
        ctx.timerService().currentProcessingTime(),
        keepOriginals ? v -> ctx.output(VAULT, v) : null);
    long[] counts = sandbox.counts();
    for (int i = 0; i < counts.length; i++) {
      long delta = counts[i] - reported[i];
      if (delta != 0) {
        metrics[i].inc(delta);
        accumulators[i].add(delta);
        reported[i] = counts[i];
      }
    }
    out.collect(e);
  }

  /**
   * Dead letters carry the raw input they could not read: every {@code "customer_id"} value in it
   * becomes the customer's pseudonym (the same as in the lake), then the same detector as for
   * events runs over the raw text and the message; an id replaced in the raw text is also replaced
   * where the message quotes it.
   */
  static final class RedactDeadLetters
      extends org.apache.flink.api.common.functions.RichMapFunction<DeadLetter, DeadLetter> {
    private static final long serialVersionUID = 1L;
    private final String keysDir;
    private final String customersFile;
    private transient PiiRedactor redactor;
    private transient EventSandbox ids;

    RedactDeadLetters(String keysDir, String customersFile) {
      this.keysDir = keysDir;
      this.customersFile = customersFile;
    }

    @Override
    public void open(OpenContext context) throws IOException {
      redactor =
          customersFile == null
              ? PiiRedactor.patterns()
              : PiiRedactor.withNames(NameDictionary.load(Path.of(customersFile)));
      ids = new EventSandbox(new SandboxCrypto(SandboxKeys.load(Path.of(keysDir))), redactor);
    }

    @Override
    public DeadLetter map(DeadLetter d) {
      java.util.Map<String, String> replaced = new java.util.HashMap<>();
      if (d.raw != null) {
        d.raw = redactor.redact(ids.pseudonymiseCustomerIds(d.raw, replaced)).text();
      }
      if (d.message != null) {
        String message = d.message;
        for (java.util.Map.Entry<String, String> id : replaced.entrySet()) {
          if (id.getKey().length() >= 4) { // "7" would hit every 7 in the message
            message = message.replace(id.getKey(), id.getValue());
          }
        }
        d.message = redactor.redact(message).text();
      }
      return d;
    }
  }
}
