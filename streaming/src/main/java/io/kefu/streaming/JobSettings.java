package io.kefu.streaming;

import io.kefu.core.kpi.KpiSettings;
import io.kefu.core.kpi.WindowSize;
import io.kefu.core.qa.QaRuleSet;
import java.io.Serializable;
import java.time.Duration;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;

/**
 * Everything the KPI job can be told, with the defaults of KPIS.md and ARCHITECTURE.md. Immutable;
 * the {@code with…} methods return changed copies.
 */
public final class JobSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  // KpiSettings fields, kept flat so that the object serialises without the record's ZoneId
  double serviceLevelSeconds = 20;
  double shortAbandonSeconds = 5;
  boolean includeShortAbandons = false;
  double angerThreshold = 0.8;
  double negativeThreshold = -0.3;
  String zone = "Asia/Shanghai";
  long allowedLatenessMillis = Duration.ofMinutes(10).toMillis();

  long outOfOrdernessMillis = Duration.ofSeconds(3).toMillis();
  long idlenessMillis = Duration.ofSeconds(30).toMillis();

  /** Provisional emission interval of open windows (0: final rows only). */
  long earlyFiringMillis = Duration.ofSeconds(10).toMillis();

  /** How long after close a survey still finds its conversation. */
  long surveyTtlMillis = Duration.ofDays(7).toMillis();

  /** A conversation silent this long (event time) without a CLOSED is forgotten. */
  long idleConversationMillis = Duration.ofDays(2).toMillis();

  long maxFutureMillis = Duration.ofDays(1).toMillis();
  int maxLineBytes = 1 << 20;
  EnumSet<WindowSize> windows = EnumSet.allOf(WindowSize.class);

  /** Emit each window once, when it can no longer change (for files); else final at its end. */
  boolean finalOnceClosed = false;

  /**
   * Quality inspection runs this long (event time) after a conversation closes, so that events
   * delivered late still count; default the allowed lateness, after which they would be dropped.
   */
  long qaDelayMillis = -1;

  /** The QA rule file's text and name (null: the default rule set of core). */
  String qaRulesYaml;

  String qaRulesSource;

  /** Score customer messages that arrive without sentiment or anger (KPIS.md: scored if absent). */
  boolean scoreMessages = true;

  /** The sandbox's keys directory (null: no sandbox, events pass as they come). */
  String sandboxKeys;

  /** The CRM file whose customers' names are redacted in text (null: patterns only). */
  String sandboxCustomers;

  /** Send the encrypted originals to the vault side output (else they are dropped). */
  boolean sandboxVault = true;

  public static JobSettings defaults() {
    return new JobSettings();
  }

  public KpiSettings kpi() {
    return new KpiSettings(
        serviceLevelSeconds,
        shortAbandonSeconds,
        includeShortAbandons,
        angerThreshold,
        negativeThreshold,
        ZoneId.of(zone),
        Duration.ofMillis(allowedLatenessMillis));
  }

  private JobSettings copy() {
    JobSettings s = new JobSettings();
    s.serviceLevelSeconds = serviceLevelSeconds;
    s.shortAbandonSeconds = shortAbandonSeconds;
    s.includeShortAbandons = includeShortAbandons;
    s.angerThreshold = angerThreshold;
    s.negativeThreshold = negativeThreshold;
    s.zone = zone;
    s.allowedLatenessMillis = allowedLatenessMillis;
    s.outOfOrdernessMillis = outOfOrdernessMillis;
    s.idlenessMillis = idlenessMillis;
    s.earlyFiringMillis = earlyFiringMillis;
    s.surveyTtlMillis = surveyTtlMillis;
    s.idleConversationMillis = idleConversationMillis;
    s.maxFutureMillis = maxFutureMillis;
    s.maxLineBytes = maxLineBytes;
    s.windows = EnumSet.copyOf(windows);
    s.finalOnceClosed = finalOnceClosed;
    s.qaDelayMillis = qaDelayMillis;
    s.qaRulesYaml = qaRulesYaml;
    s.qaRulesSource = qaRulesSource;
    s.scoreMessages = scoreMessages;
    s.sandboxKeys = sandboxKeys;
    s.sandboxCustomers = sandboxCustomers;
    s.sandboxVault = sandboxVault;
    return s;
  }

  public JobSettings withZone(ZoneId z) {
    JobSettings s = copy();
    s.zone = z.getId();
    return s;
  }

  public JobSettings withAllowedLateness(Duration d) {
    JobSettings s = copy();
    s.allowedLatenessMillis = d.toMillis();
    return s;
  }

  public JobSettings withOutOfOrderness(Duration d) {
    JobSettings s = copy();
    s.outOfOrdernessMillis = d.toMillis();
    return s;
  }

  public JobSettings withIdleness(Duration d) {
    JobSettings s = copy();
    s.idlenessMillis = d.toMillis();
    return s;
  }

  public JobSettings withEarlyFiring(Duration d) {
    JobSettings s = copy();
    s.earlyFiringMillis = d.toMillis();
    return s;
  }

  public JobSettings withWindows(Set<WindowSize> w) {
    JobSettings s = copy();
    s.windows = EnumSet.copyOf(w);
    return s;
  }

  public JobSettings withFinalOnceClosed() {
    JobSettings s = copy();
    s.finalOnceClosed = true;
    return s;
  }

  public JobSettings withMaxFuture(Duration d) {
    JobSettings s = copy();
    s.maxFutureMillis = d.toMillis();
    return s;
  }

  public JobSettings withMaxLineBytes(int bytes) {
    JobSettings s = copy();
    s.maxLineBytes = bytes;
    return s;
  }

  /** Inspect conversations with this rule file instead of the default rules. */
  public JobSettings withQaRules(String yaml, String source) {
    QaRuleSet.parse(yaml, source); // fail at submission, not in a task
    JobSettings s = copy();
    s.qaRulesYaml = yaml;
    s.qaRulesSource = source;
    return s;
  }

  public JobSettings withQaDelay(Duration d) {
    JobSettings s = copy();
    s.qaDelayMillis = d.toMillis();
    return s;
  }

  /** Keep customer messages without scores unscored (they then count as unscored messages). */
  public JobSettings withoutMessageScoring() {
    JobSettings s = copy();
    s.scoreMessages = false;
    return s;
  }

  /**
   * Pseudonymise customer ids and redact personal data at ingest with the keys in {@code keysDir}
   * (see {@code docs/SANDBOX.md}); names of the CRM file {@code customersJsonl} (may be null) are
   * redacted too.
   */
  public JobSettings withSandbox(java.nio.file.Path keysDir, java.nio.file.Path customersJsonl) {
    JobSettings s = copy();
    s.sandboxKeys = keysDir.toAbsolutePath().toString();
    s.sandboxCustomers = customersJsonl == null ? null : customersJsonl.toAbsolutePath().toString();
    return s;
  }

  /** Drop the sandbox's originals instead of handing them to the vault (no vault to write). */
  public JobSettings withoutVault() {
    JobSettings s = copy();
    s.sandboxVault = false;
    return s;
  }

  boolean sandbox() {
    return sandboxKeys != null;
  }

  QaRuleSet qaRules() {
    return qaRulesYaml == null ? QaRuleSet.defaults() : QaRuleSet.parse(qaRulesYaml, qaRulesSource);
  }

  long qaDelayMillis() {
    return qaDelayMillis >= 0 ? qaDelayMillis : allowedLatenessMillis;
  }

  Parsing parsing() {
    return new Parsing(maxLineBytes, maxFutureMillis);
  }

  Duration outOfOrderness() {
    return Duration.ofMillis(outOfOrdernessMillis);
  }

  Duration idleness() {
    return Duration.ofMillis(idlenessMillis);
  }
}
