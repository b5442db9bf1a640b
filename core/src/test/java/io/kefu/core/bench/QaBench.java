package io.kefu.core.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kefu.core.qa.ConversationQa;
import io.kefu.core.qa.QaInspector;
import io.kefu.core.qa.QaRule;
import io.kefu.core.qa.QaRuleSet;
import io.kefu.schemas.Channel;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.Entry;
import io.kefu.schemas.EventType;
import io.kefu.schemas.Role;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Quality inspection throughput: the default rules plus regex-heavy extra rules (≥ 500 phrases, ≥
 * 20 regexes) over conversations of realistic agent messages (the simulator's agent phrase bank,
 * Chinese and English, about one in eight a violation). One op = one agent message.
 *
 * <p>{@code bench/qa.sh} (or {@code bench/jmh.sh core QaBench}); target ≥ 200,000 messages/s per
 * core.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class QaBench {

  static final int CONVERSATIONS = 256;
  static final int MESSAGES = 8;

  private static final long EPOCH = Instant.parse("2026-11-23T02:00:00Z").toEpochMilli();

  QaInspector inspector;
  List<List<ConversationEvent>> conversations;
  int next;

  @Setup
  public void setUp() throws IOException {
    QaRuleSet rules =
        QaRuleSet.parse(
            resource("/io/kefu/core/qa/default-rules.yaml")
                + resource("/io/kefu/core/qa/bench-extra-rules.yaml"),
            "default-rules.yaml + bench-extra-rules.yaml");
    int phrases = 0;
    int regexes = 0;
    for (QaRule r : rules.rules()) {
      phrases += r.allPhrases().size();
      regexes += r.regexes().size();
    }
    if (phrases < 500 || regexes < 20) {
      throw new IllegalStateException(phrases + " phrases, " + regexes + " regexes");
    }
    inspector = new QaInspector(rules);
    conversations = conversations(agentLines(), new SplittableRandom(7));
  }

  /** Inspects one conversation of {@value #MESSAGES} agent messages. */
  @Benchmark
  @OperationsPerInvocation(MESSAGES)
  public void inspectAgentMessages(Blackhole bh) {
    List<ConversationEvent> c = conversations.get(next++ & (CONVERSATIONS - 1));
    ConversationQa qa = inspector.inspect(c);
    bh.consume(qa);
  }

  /** One invocation without JMH (for {@link QaCpuTime}): the number of violations. */
  int inspectOnce() {
    return inspector.inspect(conversations.get(next++ & (CONVERSATIONS - 1))).violations().size();
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = QaBench.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IOException("missing resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Every agent line of the simulator's phrase bank, slots filled; violations tagged. */
  static List<String>[] agentLines() throws IOException {
    JsonNode bank =
        new ObjectMapper(new YAMLFactory()).readTree(resource("/io/kefu/simulator/phrases.yaml"));
    List<String> normal = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    collect(bank.get("agent"), normal);
    collect(bank.get("violations"), bad);
    @SuppressWarnings("unchecked")
    List<String>[] out = new List[] {normal, bad};
    return out;
  }

  private static void collect(JsonNode node, List<String> out) {
    if (node.isTextual()) {
      out.add(fill(node.asText()));
    } else if (node.isObject() && node.has("text")) {
      out.add(fill(node.get("text").asText()));
    } else {
      for (JsonNode child : node) {
        collect(child, out);
      }
    }
  }

  private static String fill(String template) {
    return template
        .replace("{product}", "蓝牙耳机")
        .replace("{order_no}", "DD20261120004217")
        .replace("{amount}", "199.00元")
        .replace("{date}", "11月20日")
        .replace("{agent}", "李娜")
        .replace("{phone}", "138 1234 5678")
        .replace("{email}", "li.na@example.com")
        .replace("{id_number}", "11010519491231002X")
        .replace("{card}", "6222020200112233445")
        .replace("{name}", "王芳");
  }

  private static List<List<ConversationEvent>> conversations(
      List<String>[] lines, SplittableRandom rnd) {
    List<List<ConversationEvent>> out = new ArrayList<>();
    for (int c = 0; c < CONVERSATIONS; c++) {
      String id = "c-" + c;
      List<ConversationEvent> events = new ArrayList<>();
      long t = EPOCH + c * 1000L;
      events.add(event(id, EventType.CONVERSATION_STARTED, t, 0));
      events.add(event(id, EventType.AGENT_ASSIGNED, t + 1000, 1));
      for (int m = 0; m < MESSAGES; m++) {
        List<String> pool = rnd.nextInt(8) == 0 ? lines[1] : lines[0];
        ConversationEvent e = event(id, EventType.MESSAGE, t + 2000 + m * 20_000L, 2 + m);
        e.setRole(Role.AGENT);
        e.setAgentId("a-" + (c % 17));
        e.setText(pool.get(rnd.nextInt(pool.size())));
        events.add(e);
      }
      events.add(event(id, EventType.CLOSED, t + 2000 + MESSAGES * 20_000L, 2 + MESSAGES));
      out.add(events);
    }
    return out;
  }

  private static ConversationEvent event(String conversation, EventType type, long t, int seq) {
    ConversationEvent e = new ConversationEvent();
    e.setEventId(conversation + "-" + seq);
    e.setConversationId(conversation);
    e.setEventType(type);
    e.setEventTime(Instant.ofEpochMilli(t));
    e.setTenant("acme");
    e.setChannel(Channel.WEB);
    e.setQueue("billing");
    e.setAttributes(Map.of());
    if (type == EventType.CONVERSATION_STARTED) {
      e.setEntry(Entry.HUMAN);
    } else if (type == EventType.AGENT_ASSIGNED) {
      e.setAgentId("a-" + conversation.hashCode() % 17);
    }
    return e;
  }
}
