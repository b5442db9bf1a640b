package io.kefu.simulator;

import io.kefu.schemas.Channel;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.CustomerRecord;
import io.kefu.schemas.EventType;
import io.kefu.schemas.OperationLogRecord;
import io.kefu.schemas.Tier;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded contact-centre simulator: the same configuration and seed give byte-identical output. It
 * writes conversation events (in delivery order, with some out of order and late), CRM customers
 * with personal data, orders and browsing driven by hidden preferences, the operation log, and the
 * ground truth of everything it injected.
 */
public final class Simulator {

  private static final long HOUR = 3_600_000;

  private final SimulatorConfig cfg;
  private final ZoneId zone;

  public Simulator(SimulatorConfig cfg) {
    cfg.validate();
    this.cfg = cfg;
    this.zone = ZoneId.of(cfg.zone);
  }

  /** Progress of a long run: simulated time reached and events written so far. */
  public interface Progress {
    void update(long simulatedMillis, long events);
  }

  /** Runs the simulation into {@code out}, which the caller closes. */
  public Summary run(SimulationOutput out, Progress progress) throws IOException {
    long started = java.lang.System.nanoTime();
    PhraseBank bank = PhraseBank.load();
    People people = new People(bank);
    Dialogues talk = new Dialogues(bank, zone);
    long[] dayStarts = new long[cfg.days + 1];
    for (int d = 0; d <= cfg.days; d++) {
      dayStarts[d] = cfg.startDate.plusDays(d).atStartOfDay(zone).toInstant().toEpochMilli();
    }
    Customers customers = new Customers(cfg, people, dayStarts[0]);

    long[] perDay = conversationsPerDay();
    ContactCentre.Arm[] arms = arms(bank, Arrays.stream(perDay).max().orElse(0));
    CountingOutput counting = new CountingOutput(out);
    Emitter emitter = new Emitter(cfg.disorder, zone, counting);
    List<OperationLogRecord> operations = new ArrayList<>();
    ContactCentre centre =
        new ContactCentre(
            cfg,
            talk,
            customers,
            emitter,
            counting,
            operations,
            arms,
            zone.getRules()
                    .getOffset(cfg.startDate.atStartOfDay(zone).toInstant())
                    .getTotalSeconds()
                * 1000L);
    Channel[] channels = Channel.values();
    long[] arrivals = arrivals(perDay, dayStarts);
    centre.scheduleShiftChanges(dayStarts[0], cfg.days);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long eventsStarted = java.lang.System.nanoTime();
    long cpuStarted = threads.getCurrentThreadCpuTime();
    centre.run(dayStarts[0], arrivals, channels, progress::update);
    double eventSeconds = (java.lang.System.nanoTime() - eventsStarted) / 1e9;
    // The simulation is one thread: its own CPU time is the cost per core, without the JIT
    // compiler threads and GC, which run beside it when a second core is free.
    double eventCpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStarted) / 1e9;

    for (int i = 0; i < customers.count(); i++) {
      Customers.Customer c = customers.get(i);
      CustomerRecord r = c.toRecord(cfg.tenant);
      out.customer(r);
      People.Person p = c.person();
      out.truth("pii.jsonl", new GroundTruth.Pii(c.id(), "name", p.name(), null, null, null));
      out.truth("pii.jsonl", new GroundTruth.Pii(c.id(), "phone", p.phone(), null, null, null));
      out.truth("pii.jsonl", new GroundTruth.Pii(c.id(), "email", p.email(), null, null, null));
      out.truth(
          "pii.jsonl", new GroundTruth.Pii(c.id(), "id_number", p.idNumber(), null, null, null));
      out.truth("pii.jsonl", new GroundTruth.Pii(c.id(), "card", p.bankCard(), null, null, null));
    }
    if (cfg.commerce.enabled) {
      new Commerce(cfg, customers, dayStarts[0], dayStarts[cfg.days]).generate(out);
    }
    if (cfg.oplog.enabled) {
      writeOperationLog(operations, arms, customers.count(), dayStarts, out);
    }

    Map<String, Object> ab = new LinkedHashMap<>();
    for (ContactCentre.Arm arm : arms) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("configured", arm.behaviour);
      entry.put("realised", arm.stats.toMap());
      ab.put(arm.variant == null ? "default" : arm.variant, entry);
    }
    out.truthDocument("ab.json", ab);

    Summary summary =
        new Summary(
            counting.total,
            counting.byType,
            counting.byChannel,
            emitter.delayed(),
            emitter.veryLate(),
            customers.count(),
            operations.size(),
            eventSeconds,
            eventCpuSeconds,
            (java.lang.System.nanoTime() - started) / 1e9);
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("events", summary.events());
    counts.put("events_by_type", summary.eventsByType());
    counts.put("conversations_by_channel", summary.conversationsByChannel());
    counts.put("delayed_events", summary.delayedEvents());
    counts.put("very_late_events", summary.veryLateEvents());
    counts.put("customers", summary.customers());
    counts.put("operations", summary.operations());
    out.truthDocument("summary.json", counts); // no run time: the files stay byte-identical
    return summary;
  }

  // --- arrivals -----------------------------------------------------------------------------

  /** Conversations per day by weekday factor, rounded by largest remainder to sum exactly. */
  long[] conversationsPerDay() {
    double[] w = new double[cfg.days];
    double sum = 0;
    for (int d = 0; d < cfg.days; d++) {
      w[d] = cfg.weekdayFactors.get(cfg.startDate.plusDays(d).getDayOfWeek().getValue() - 1);
      sum += w[d];
    }
    long[] n = new long[cfg.days];
    long assigned = 0;
    Integer[] order = new Integer[cfg.days];
    double[] remainder = new double[cfg.days];
    for (int d = 0; d < cfg.days; d++) {
      double exact = cfg.conversations * w[d] / sum;
      n[d] = (long) Math.floor(exact);
      remainder[d] = exact - n[d];
      assigned += n[d];
      order[d] = d;
    }
    Arrays.sort(
        order, Comparator.comparingDouble((Integer d) -> -remainder[d]).thenComparing(d -> d));
    for (int i = 0; assigned < cfg.conversations; i++, assigned++) {
      n[order[i % cfg.days]]++;
    }
    return n;
  }

  /** Arrival times packed as {@code (millis since the first day) << 4 | channel}, sorted. */
  private long[] arrivals(long[] perDay, long[] dayStarts) {
    Channel[] channels = Channel.values();
    double[] shares = new double[channels.length];
    double[][] hourCumulative = new double[channels.length][];
    for (Channel c : channels) {
      shares[c.ordinal()] = cfg.channels.getOrDefault(c, 0.0);
      List<Double> curve = cfg.hourlyCurveByChannel.getOrDefault(c, cfg.hourlyCurve);
      hourCumulative[c.ordinal()] = Rng.cumulative(curve.stream().mapToDouble(d -> d).toArray());
    }
    double[] channelCumulative = Rng.cumulative(shares);
    long total = Arrays.stream(perDay).sum();
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("at most " + (Integer.MAX_VALUE - 8) + " conversations");
    }
    long[] packed = new long[(int) total];
    int k = 0;
    for (int d = 0; d < perDay.length; d++) {
      SplittableRandom rnd = Rng.of(cfg.seed, Rng.Stream.ARRIVALS, d);
      long dayLength = dayStarts[d + 1] - dayStarts[d];
      for (long i = 0; i < perDay[d]; i++) {
        int channel = Rng.pick(rnd, channelCumulative);
        int hour = Rng.pick(rnd, hourCumulative[channel]);
        long offset = Math.min(dayLength - 1, hour * HOUR + (long) (rnd.nextDouble() * HOUR));
        long rel = dayStarts[d] - dayStarts[0] + offset;
        packed[k++] = rel << 4 | channel;
      }
    }
    Arrays.sort(packed);
    return packed;
  }

  // --- staffing -----------------------------------------------------------------------------

  private ContactCentre.Arm[] arms(PhraseBank bank, long busiestDay) {
    List<ContactCentre.Arm> arms = new ArrayList<>();
    String[] queues = cfg.queues.keySet().toArray(new String[0]);
    if (cfg.experiment.enabled) {
      for (Map.Entry<String, SimulatorConfig.Arm> e : cfg.experiment.arms.entrySet()) {
        arms.add(
            new ContactCentre.Arm(e.getKey(), cfg.systemFor(e.getValue().system), queues.length));
      }
    } else {
      arms.add(new ContactCentre.Arm(null, cfg.system, queues.length));
    }
    double shareSum =
        cfg.experiment.enabled
            ? cfg.experiment.arms.values().stream().mapToDouble(a -> a.share).sum()
            : 1.0;
    String[] zhNames = bank.list("names.agent_names_zh");
    String[] enNames = bank.list("names.agent_names_en");
    int agentNumber = 0;
    for (ContactCentre.Arm arm : arms) {
      double share =
          arm.variant == null ? 1.0 : cfg.experiment.arms.get(arm.variant).share / shareSum;
      String prefix = arm.variant == null ? "" : arm.variant + "-";
      SimulatorConfig.Behaviour b = arm.behaviour;
      SimulatorConfig.Staffing st = b.staffing;
      double[][] expertLoad = new double[24][1];
      for (int q = 0; q < queues.length; q++) {
        arm.voice[q] = new ContactCentre.Desk(queues[q], Tier.AGENT, 1);
        arm.digital[q] = new ContactCentre.Desk(queues[q], Tier.AGENT, st.chatConcurrency);
      }
      arm.expert = new ContactCentre.Desk(cfg.expertQueue, Tier.EXPERT, 1);
      for (int q = 0; q < queues.length; q++) {
        for (boolean voice : new boolean[] {true, false}) {
          ContactCentre.Desk desk = voice ? arm.voice[q] : arm.digital[q];
          double[] load = erlangs(busiestDay * share, queues[q], voice, b, expertLoad);
          for (SimulatorConfig.Shift shift : st.shifts) {
            int n =
                agentsFor(
                    st, queues[q], shift, load, handleSeconds(b, voice, false), desk.slotsPerAgent);
            for (int i = 0; i < n; i++) {
              agentNumber++;
              String id =
                  prefix
                      + (voice ? "v-" : "d-")
                      + queues[q]
                      + "-"
                      + Ids.pad(desk.agents.size() + 1, 3);
              desk.agents.add(agent(id, desk, shift, agentNumber, zhNames, enNames));
            }
          }
        }
      }
      double[] expert = new double[24];
      for (int h = 0; h < 24; h++) {
        expert[h] = expertLoad[h][0];
      }
      for (SimulatorConfig.Shift shift : st.shifts) {
        int n = agentsFor(st, cfg.expertQueue, shift, expert, handleSeconds(b, false, true), 1);
        for (int i = 0; i < n; i++) {
          agentNumber++;
          String id = prefix + "x-" + Ids.pad(arm.expert.agents.size() + 1, 3);
          arm.expert.agents.add(agent(id, arm.expert, shift, agentNumber, zhNames, enNames));
        }
      }
    }
    return arms.toArray(new ContactCentre.Arm[0]);
  }

  private ContactCentre.Agent agent(
      String id,
      ContactCentre.Desk desk,
      SimulatorConfig.Shift shift,
      int number,
      String[] zhNames,
      String[] enNames) {
    SplittableRandom rnd = Rng.of(cfg.seed, Rng.Stream.AGENTS, number);
    double rate =
        Rng.chance(rnd, cfg.violations.badAgentShare)
            ? cfg.violations.badAgentRate
            : cfg.violations.goodAgentRate;
    return new ContactCentre.Agent(
        id,
        zhNames[number % zhNames.length],
        enNames[number % enNames.length],
        desk,
        shift,
        rate,
        "10.8." + (number / 250) + "." + (1 + number % 250));
  }

  /**
   * Offered load in Erlangs per hour of the busiest day for one queue and medium; adds the
   * transfers it sends to the expert queue into {@code expertLoad}.
   */
  private double[] erlangs(
      double conversations,
      String queue,
      boolean voice,
      SimulatorConfig.Behaviour b,
      double[][] expertLoad) {
    double queueShare =
        cfg.queues.get(queue) / cfg.queues.values().stream().mapToDouble(d -> d).sum();
    double channelSum = cfg.channels.values().stream().mapToDouble(d -> d).sum();
    double[] legs = new double[24];
    for (Map.Entry<Channel, Double> e : cfg.channels.entrySet()) {
      if ((e.getKey() == Channel.PHONE) != voice) {
        continue;
      }
      List<Double> curve = cfg.hourlyCurveByChannel.getOrDefault(e.getKey(), cfg.hourlyCurve);
      double curveSum = curve.stream().mapToDouble(d -> d).sum();
      double handoff = voice ? 1.0 : Math.max(0, 1 - b.botContainment - b.botDrop);
      for (int h = 0; h < 24; h++) {
        legs[h] +=
            conversations
                * e.getValue()
                / channelSum
                * curve.get(h)
                / curveSum
                * queueShare
                * handoff;
      }
    }
    double firstLevel = handleSeconds(b, voice, false) * (1 - b.expertTransfer / 2);
    double expertHandle = handleSeconds(b, voice, true);
    double[] load = new double[24];
    for (int h = 0; h < 24; h++) {
      load[h] = legs[h] * firstLevel / 3600;
      expertLoad[h][0] += legs[h] * b.expertTransfer * expertHandle / 3600;
    }
    return load;
  }

  /** Expected seconds an agent spends on one leg, from the dialogue pacing. */
  private double handleSeconds(SimulatorConfig.Behaviour b, boolean voice, boolean expert) {
    SimulatorConfig.HandleTime ht = b.handleTime;
    double turn = voice ? ht.voiceTurnSeconds : ht.digitalTurnSeconds;
    double reply = voice ? 5 : 0.4 * cfg.violations.slowReplySeconds;
    double perTurn = 0.7 * turn * Math.exp(0.125) + reply; // log-normal typing, sigma 0.5
    return 20 + ht.meanTurns * (expert ? 1.3 : 1) * perTurn + ht.wrapUpSeconds;
  }

  private static int agentsFor(
      SimulatorConfig.Staffing st,
      String queue,
      SimulatorConfig.Shift shift,
      double[] load,
      double handleSeconds,
      int slots) {
    if (st.mode.equals("fixed")) {
      Map<String, Integer> byShift = st.agents.get(queue);
      if (byShift == null || !byShift.containsKey(shift.name)) {
        throw new IllegalArgumentException(
            "simulator config: system.staffing.agents." + queue + "." + shift.name + " is not set");
      }
      return byShift.get(shift.name);
    }
    int agents = st.minAgents;
    for (int h = shift.startHour; h < shift.endHour; h++) {
      int servers =
          Staffing.serversFor(
              load[h], handleSeconds, st.serviceLevelTarget, st.serviceLevelSeconds);
      agents = Math.max(agents, (int) Math.ceil(servers * st.staffingFactor / slots));
    }
    return agents;
  }

  // --- operation log ------------------------------------------------------------------------

  private void writeOperationLog(
      List<OperationLogRecord> operations,
      ContactCentre.Arm[] arms,
      int customers,
      long[] dayStarts,
      SimulationOutput out)
      throws IOException {
    List<String> agentIds = new ArrayList<>();
    for (ContactCentre.Arm arm : arms) {
      for (ContactCentre.Desk desk : arm.digital) {
        desk.agents.forEach(a -> agentIds.add(a.id));
      }
    }
    OperationLogGenerator generator = new OperationLogGenerator(cfg, customers, agentIds);
    List<OperationLogGenerator.Flagged> flagged = new ArrayList<>();
    for (int d = 0; d < cfg.days; d++) {
      generator.day(d, dayStarts[d], operations, flagged);
    }
    operations.sort(Comparator.comparing(OperationLogRecord::getTime)); // stable: ties keep order
    for (int i = 0; i < operations.size(); i++) {
      operations.get(i).setSequence((long) i);
      out.operation(operations.get(i));
    }
    for (OperationLogGenerator.Flagged f : flagged) {
      List<Long> sequences = new ArrayList<>();
      for (OperationLogRecord r : f.records()) {
        sequences.add(r.getSequence());
      }
      out.truth(
          "suspicious_operations.jsonl",
          new GroundTruth.Suspicious(f.kind(), f.actor(), sequences, f.description()));
    }
  }

  // --- summary ------------------------------------------------------------------------------

  /** What a run produced. */
  public record Summary(
      long events,
      Map<EventType, Long> eventsByType,
      Map<Channel, Long> conversationsByChannel,
      long delayedEvents,
      long veryLateEvents,
      int customers,
      int operations,
      double eventSeconds,
      double eventCpuSeconds,
      double seconds) {

    /** Conversation events per second of the conversation phase (simulation and writing). */
    public double eventsPerSecond() {
      return events / Math.max(1e-9, eventSeconds);
    }

    /** Conversation events per CPU second of the simulating thread: the rate one core sustains. */
    public double eventsPerCpuSecond() {
      return events / Math.max(1e-9, eventCpuSeconds);
    }
  }

  /** Counts events by type and conversations by channel on their way out. */
  private static final class CountingOutput implements SimulationOutput {
    private final SimulationOutput out;
    long total;
    final Map<EventType, Long> byType = new EnumMap<>(EventType.class);
    final Map<Channel, Long> byChannel = new EnumMap<>(Channel.class);

    CountingOutput(SimulationOutput out) {
      this.out = out;
    }

    @Override
    public void event(ConversationEvent event, LocalDate ingestDay) throws IOException {
      total++;
      byType.merge(event.getEventType(), 1L, Long::sum);
      if (event.getEventType() == EventType.CONVERSATION_STARTED) {
        byChannel.merge(event.getChannel(), 1L, Long::sum);
      }
      out.event(event, ingestDay);
    }

    @Override
    public void customer(CustomerRecord record) throws IOException {
      out.customer(record);
    }

    @Override
    public void order(io.kefu.schemas.OrderLine line) throws IOException {
      out.order(line);
    }

    @Override
    public void browsing(io.kefu.schemas.BrowsingEvent event) throws IOException {
      out.browsing(event);
    }

    @Override
    public void operation(OperationLogRecord record) throws IOException {
      out.operation(record);
    }

    @Override
    public void truth(String file, Object record) throws IOException {
      out.truth(file, record);
    }

    @Override
    public void truthDocument(String file, Object document) throws IOException {
      out.truthDocument(file, document);
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
