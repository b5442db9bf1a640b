package io.kefu.simulator;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.kefu.schemas.Channel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every knob of the simulator. Defaults live in {@code simulator-defaults.yaml} (calibrated on the
 * figures in ARCHITECTURE.md); a user's YAML file overrides any subset, and command-line flags
 * override that. Field names are snake_case in YAML.
 */
public final class SimulatorConfig {

  public long seed;
  public LocalDate startDate;
  public int days;
  public long conversations;
  public String zone;
  public String tenant;

  /** Share of conversations per channel (normalised). */
  public Map<Channel, Double> channels = new LinkedHashMap<>();

  /** Relative arrivals per hour of day (24 values), and per-channel overrides. */
  public List<Double> hourlyCurve = new ArrayList<>();

  public Map<Channel, List<Double>> hourlyCurveByChannel = new LinkedHashMap<>();

  /** Relative volume per weekday, Monday first (7 values). */
  public List<Double> weekdayFactors = new ArrayList<>();

  /** Share of conversations per queue (topic), normalised. */
  public Map<String, Double> queues = new LinkedHashMap<>();

  public String expertQueue;

  /** Share of customers per language (zh, en). */
  public Map<String, Double> languages = new LinkedHashMap<>();

  /** How the contact centre behaves; an experiment arm overrides parts of it. */
  public Behaviour system = new Behaviour();

  public Experiment experiment = new Experiment();
  public Customers customers = new Customers();
  public Messages messages = new Messages();
  public Violations violations = new Violations();
  public Surveys surveys = new Surveys();
  public Disorder disorder = new Disorder();
  public Commerce commerce = new Commerce();
  public OperationLog oplog = new OperationLog();

  /** Behaviour of one contact-centre system (the default arm, or an experiment arm). */
  public static final class Behaviour {
    /** Share of bot-entry conversations the bot resolves without a human. */
    public double botContainment;

    /** Share of bot-entry conversations the customer leaves unresolved without a handoff. */
    public double botDrop;

    /** Share of answered first-level legs transferred to the expert queue. */
    public double expertTransfer;

    public double agentResolution;
    public double expertResolution;

    /** Share of angry customers the bot hands off promptly (the rest linger: unescalated anger). */
    public double angerEscalation;

    public double csatShift;
    public Staffing staffing = new Staffing();
    public Patience patience = new Patience();
    public HandleTime handleTime = new HandleTime();
  }

  /** Agents per queue and shift: given explicitly, or sized from the expected load. */
  public static final class Staffing {
    /** {@code auto} sizes every shift from its busiest hour; {@code fixed} uses {@link #agents}. */
    public String mode;

    /**
     * Auto mode: every hour is staffed by Erlang C to answer this share of legs within {@link
     * #serviceLevelSeconds}; a shift gets the most any of its hours needs.
     */
    public double serviceLevelTarget;

    public double serviceLevelSeconds;

    /** Multiplies the auto staffing; below 1 understaffs (an old system), above 1 overstaffs. */
    public double staffingFactor;

    public int minAgents;

    /** Chats one digital agent handles at once; voice and expert agents take one at a time. */
    public int chatConcurrency;

    public List<Shift> shifts = new ArrayList<>();

    /** Fixed mode: queue → shift name → agents (voice and digital each; experts under expert). */
    public Map<String, Map<String, Integer>> agents = new LinkedHashMap<>();
  }

  public static final class Shift {
    public String name;
    public int startHour;
    public int endHour;
  }

  /** Seconds a customer waits in a queue before leaving (log-normal), per medium. */
  public static final class Patience {
    public double voiceMedianSeconds;
    public double digitalMedianSeconds;
    public double sigma;
    public double multiplier;
  }

  /** Dialogue pacing, which together with the number of turns gives the handle time. */
  public static final class HandleTime {
    public double voiceTurnSeconds;
    public double digitalTurnSeconds;
    public double meanTurns;
    public double wrapUpSeconds;
    public double ivrSeconds;
  }

  /** A/B arms: each arm's {@code system} block overrides the base system. */
  public static final class Experiment {
    public boolean enabled;
    public Map<String, Arm> arms = new LinkedHashMap<>();
  }

  public static final class Arm {
    public double share;

    /** Overrides of the base {@code system}; only the keys given change. */
    public Map<String, Object> system = new LinkedHashMap<>();
  }

  public static final class Customers {
    /** Distinct customers per conversation (repeat contacts make it below 1). */
    public double perConversation;

    /** Skew of contacts towards frequent customers: 1 is uniform, larger is more skewed. */
    public double contactSkew;

    public List<String> cities = new ArrayList<>();
  }

  public static final class Messages {
    /** Carry the simulator's own sentiment and anger on customer messages (as an upstream NLU). */
    public boolean includeScores;

    /** Share of conversations in which the customer volunteers personal data. */
    public double piiMentionRate;

    public Map<String, Double> piiKinds = new LinkedHashMap<>();

    /** Customer mood mix at the start of a conversation. */
    public Map<String, Double> moods = new LinkedHashMap<>();

    /** Share of messages mixing Chinese and English. */
    public double mixedLanguage;
  }

  /** Agents breaking service rules; everything injected is written to the ground truth. */
  public static final class Violations {
    public double badAgentShare;
    public double badAgentRate;
    public double goodAgentRate;
    public Map<String, Double> kinds = new LinkedHashMap<>();
    public double missingGreeting;
    public double missingClosing;
    public double slowReply;

    /** An agent reply later than this after a customer message is a slow reply (响应超时). */
    public double slowReplySeconds;

    public double unescalatedAngerSeconds;
    public double repeatPhone;
  }

  public static final class Surveys {
    public Map<Channel, Double> responseRate = new LinkedHashMap<>();
    public double defaultResponseRate;
    public double csatOnly;
    public double npsOnly;
    public double baseCsat;
  }

  /** Delivery disorder: events arrive after later ones (ingest time = event time + delay). */
  public static final class Disorder {
    public double jitterShare;
    public double jitterMaxSeconds;
    public double lateShare;
    public double lateMinSeconds;
    public double lateMaxSeconds;

    /** Later than the streaming job's allowed lateness (10 min by default). */
    public double veryLateShare;

    public double veryLateMinSeconds;
    public double veryLateMaxSeconds;
  }

  public static final class Commerce {
    public boolean enabled;
    public int historyDays;
    public int products;
    public int clusters;
    public List<String> categories = new ArrayList<>();
    public double ordersPerCustomer;
    public double linesPerOrder;
    public double viewsPerOrder;
    public double explore;
    public double zipf;
  }

  public static final class OperationLog {
    public boolean enabled;
    public int supervisors;
    public int analysts;
    public int qaInspectors;
    public double revealsPerDay;
    public boolean suspicious;
    public int bulkExportRows;
    public int readSpreeCustomers;
  }

  // --- loading ------------------------------------------------------------------------------

  static final ObjectMapper YAML = yamlMapper();

  /**
   * Overrides merge into nested blocks ({@code system: {staffing: {target_occupancy: 1}}} changes
   * one key), while a list or map given in an override replaces the default one whole.
   */
  private static ObjectMapper yamlMapper() {
    ObjectMapper mapper =
        new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .findAndRegisterModules()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .setDefaultMergeable(true);
    mapper.configOverride(List.class).setMergeable(false);
    mapper.configOverride(Map.class).setMergeable(false);
    return mapper;
  }

  /** The built-in defaults. */
  public static SimulatorConfig defaults() {
    try (InputStream in = SimulatorConfig.class.getResourceAsStream("simulator-defaults.yaml")) {
      return YAML.readValue(in, SimulatorConfig.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the built-in simulator defaults", e);
    }
  }

  /** The defaults overridden by a user's YAML file; an unknown key is an error naming it. */
  public static SimulatorConfig load(Path file) throws IOException {
    SimulatorConfig config = defaults();
    try (InputStream in = Files.newInputStream(file)) {
      YAML.readerForUpdating(config).readValue(in);
    } catch (JsonMappingException e) {
      throw new IllegalArgumentException(
          file + ": " + e.getPathReference() + ": " + e.getOriginalMessage(), e);
    }
    return config;
  }

  /** A deep copy of the base system with an arm's overrides applied. */
  Behaviour systemFor(Map<String, Object> overrides) {
    try {
      Behaviour copy = YAML.readValue(YAML.writeValueAsBytes(system), Behaviour.class);
      YAML.readerForUpdating(copy).readValue(YAML.writeValueAsBytes(overrides));
      return copy;
    } catch (IOException e) {
      throw new IllegalArgumentException("experiment arm overrides: " + e.getMessage(), e);
    }
  }

  /** The configuration as YAML, written next to the output so a run can be repeated. */
  public String toYaml() {
    try {
      return YAML.writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Checks ranges; the message names the offending key. */
  public void validate() {
    require(days >= 1, "days must be at least 1, is " + days);
    require(conversations >= 0, "conversations must be >= 0, is " + conversations);
    require(!channels.isEmpty(), "channels must name at least one channel");
    require(hourlyCurve.size() == 24, "hourly_curve needs 24 values, has " + hourlyCurve.size());
    hourlyCurveByChannel.forEach(
        (c, curve) ->
            require(curve.size() == 24, "hourly_curve_by_channel." + c + " needs 24 values"));
    require(
        weekdayFactors.size() == 7, "weekday_factors needs 7 values, has " + weekdayFactors.size());
    require(!queues.isEmpty(), "queues must name at least one queue");
    require(!queues.containsKey(expertQueue), "expert_queue must not be one of queues");
    probability("system.bot_containment", system.botContainment);
    probability("system.expert_transfer", system.expertTransfer);
    probability("system.agent_resolution", system.agentResolution);
    require(
        system.botContainment + system.botDrop <= 1,
        "system.bot_containment + system.bot_drop must be at most 1");
    require(
        system.staffing.mode.equals("auto") || system.staffing.mode.equals("fixed"),
        "system.staffing.mode must be auto or fixed, is " + system.staffing.mode);
    require(
        system.staffing.serviceLevelTarget > 0 && system.staffing.serviceLevelTarget < 1,
        "system.staffing.service_level_target must be in (0, 1)");
    require(system.staffing.staffingFactor > 0, "system.staffing.staffing_factor must be > 0");
    require(system.staffing.chatConcurrency >= 1, "system.staffing.chat_concurrency must be >= 1");
    require(!system.staffing.shifts.isEmpty(), "system.staffing.shifts must not be empty");
    probability("disorder.jitter_share", disorder.jitterShare);
    probability("disorder.late_share", disorder.lateShare);
    probability("disorder.very_late_share", disorder.veryLateShare);
    probability("messages.pii_mention_rate", messages.piiMentionRate);
    if (experiment.enabled) {
      require(experiment.arms.size() >= 2, "experiment.arms needs at least two arms");
    }
  }

  private static void probability(String key, double p) {
    require(p >= 0 && p <= 1, key + " must be in [0, 1], is " + p);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("simulator config: " + message);
    }
  }
}
