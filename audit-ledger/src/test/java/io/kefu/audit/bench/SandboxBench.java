package io.kefu.audit.bench;

import io.kefu.audit.sandbox.EventSandbox;
import io.kefu.audit.sandbox.NameDictionary;
import io.kefu.audit.sandbox.PiiRedactor;
import io.kefu.audit.sandbox.SandboxCrypto;
import io.kefu.audit.sandbox.SandboxKeys;
import io.kefu.audit.sandbox.VaultEntry;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.EventType;
import io.kefu.schemas.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The sandbox at ingest, per event, as the streaming job runs it ({@link EventSandbox#apply}):
 * pseudonymise the customer id (cached), redact text (patterns and 20,000 CRM names in one
 * Aho-Corasick automaton), encrypt every finding for the vault. The event mix follows the
 * simulator's: about 60 % messages, Chinese and English, a conversation every ~14 events, and one
 * message in eight carrying personal data. One op = one event.
 *
 * <p>{@code bench/sandbox.sh} (or {@code bench/jmh.sh audit-ledger SandboxBench}); target ≥ 200,000
 * events/s per core.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SandboxBench {

  static final int EVENTS = 1 << 14;
  static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "欧阳"};
  static final String[] GIVEN = {"伟", "芳", "娜", "敏", "静", "秀英", "建华", "子涵", "雨桐", "晓明"};
  static final String[] FIRST = {"James", "Mary", "John", "Linda", "David", "Emma", "Grace"};
  static final String[] LAST = {"Smith", "Brown", "Lee", "Garcia", "Taylor", "Walker", "Young"};

  static final String[] PLAIN = {
    "您好，请问有什么可以帮您？",
    "我的快递三天了还没到，订单号DD20261115123456，帮我查一下",
    "好的，我这边帮您查询一下物流信息，请稍等",
    "退款什么时候到账？已经申请5天了",
    "I ordered a jacket on Nov 12 and it still hasn't shipped.",
    "Thanks for waiting, your refund of $42.50 was issued today.",
    "这个价格299元能便宜点吗",
    "Can I change the delivery address for order DD20261120654321?",
    "已为您登记，48小时内会有专人联系您",
    "It says delivered at 2026-11-20 14:32 but I never got it."
  };

  static final String[] WITH_PII = {
    "我的手机号是%PHONE%，有问题打这个",
    "You can reach me at %PHONE%.",
    "我的邮箱是%EMAIL%",
    "Please send the invoice to %EMAIL%.",
    "我的身份证号是%ID%",
    "卡号%CARD%，你看下是不是这张",
    "我叫%NAME%",
    "The recipient is %NAME%."
  };

  EventSandbox sandbox;
  PiiRedactor redactor;
  ConversationEvent[] events;
  String[] texts;
  String[] customers;
  int next;
  long vaultRows;
  final Consumer<VaultEntry> vault = e -> vaultRows++;

  @Setup
  public void setUp() throws Exception {
    Path dir = Files.createTempDirectory("sandbox-bench");
    SandboxCrypto crypto = new SandboxCrypto(SandboxKeys.init(dir.resolve("keys"), null));
    SplittableRandom rnd = new SplittableRandom(7);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      names.add(
          rnd.nextBoolean()
              ? SURNAMES[rnd.nextInt(SURNAMES.length)] + GIVEN[rnd.nextInt(GIVEN.length)]
              : FIRST[rnd.nextInt(FIRST.length)] + " " + LAST[rnd.nextInt(LAST.length)]);
    }
    redactor = PiiRedactor.withNames(NameDictionary.of(names));
    sandbox = new EventSandbox(crypto, redactor);
    events = new ConversationEvent[EVENTS];
    texts = new String[EVENTS];
    customers = new String[EVENTS];
    long t = Instant.parse("2026-11-23T02:00:00Z").toEpochMilli();
    int conversation = 0;
    for (int i = 0; i < EVENTS; i++) {
      ConversationEvent.Builder b =
          ConversationEvent.newBuilder()
              .setEventId("e-" + i)
              .setTenant("acme")
              .setEventTime(Instant.ofEpochMilli(t + i * 1000L));
      if (i % 14 == 0) {
        conversation++;
        b.setEventType(EventType.CONVERSATION_STARTED).setCustomerId("cust-" + rnd.nextInt(5000));
      } else if (rnd.nextDouble() < 0.65) {
        String text;
        if (rnd.nextInt(8) == 0) {
          text =
              WITH_PII[rnd.nextInt(WITH_PII.length)]
                  .replace("%PHONE%", "138" + (10_000_000 + rnd.nextInt(89_999_999)))
                  .replace("%EMAIL%", "wei.wang" + rnd.nextInt(999) + "@qq.com")
                  .replace("%ID%", "110105199003071234")
                  .replace("%CARD%", "6222021234567890128")
                  .replace("%NAME%", names.get(rnd.nextInt(names.size())));
        } else {
          text = PLAIN[rnd.nextInt(PLAIN.length)];
        }
        b.setEventType(EventType.MESSAGE)
            .setRole(rnd.nextBoolean() ? Role.CUSTOMER : Role.AGENT)
            .setText(text);
      } else {
        b.setEventType(EventType.AGENT_ASSIGNED).setAgentId("agent-" + rnd.nextInt(50));
      }
      b.setConversationId("c-" + conversation);
      events[i] = b.build();
      texts[i] = events[i].getText();
      customers[i] = events[i].getCustomerId();
    }
  }

  /** The full ingest step: pseudonymise, redact, encrypt the findings for the vault. */
  @Benchmark
  public void pseudonymiseRedactEncrypt(Blackhole bh) {
    int i = next++ & (EVENTS - 1);
    ConversationEvent e = events[i];
    // the same event again each round: restore what the last round changed
    if (e.getEventType() == EventType.CONVERSATION_STARTED) {
      e.setCustomerId(customers[i]);
    } else {
      e.setText(texts[i]);
    }
    bh.consume(sandbox.apply(e, 0L, vault));
  }

  /** The detector alone on one event's text (null for non-messages). */
  @Benchmark
  public void redactOnly(Blackhole bh) {
    String t = texts[next++ & (EVENTS - 1)];
    bh.consume(t == null ? null : redactor.redact(t));
  }
}
