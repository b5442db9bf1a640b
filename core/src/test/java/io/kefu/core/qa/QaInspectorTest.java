package io.kefu.core.qa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.schemas.Channel;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.Entry;
import io.kefu.schemas.QaRuleKind;
import io.kefu.schemas.QaViolation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QaInspectorTest {

  static final QaRuleSet DEFAULTS = QaRuleSet.defaults();
  static final QaInspector INSPECTOR = new QaInspector(DEFAULTS);

  /** A web conversation: bot, handoff, agent a1 greets, then {@code text}, closing, closed. */
  static Fixtures agentSays(String text) {
    Fixtures f = new Fixtures("c1").web();
    f.customer(1, "我要退款");
    f.handoff("billing", 2).assigned("a1", "billing", 3);
    f.agent("a1", 5, "您好，我是小王，请问有什么可以帮您？");
    f.customer(10, "订单号是DD20261120004217");
    f.agent("a1", 20, text);
    f.agent("a1", 30, "感谢您的耐心，祝您生活愉快！");
    f.closed(40);
    return f;
  }

  static List<QaViolation> violations(Fixtures f) {
    return INSPECTOR.inspect(f.events).violations();
  }

  static List<String> rules(Fixtures f) {
    return violations(f).stream().map(QaViolation::getRuleId).toList();
  }

  static QaViolation only(Fixtures f, String ruleId) {
    List<QaViolation> v = violations(f).stream().filter(x -> x.getRuleId().equals(ruleId)).toList();
    assertEquals(1, v.size(), () -> "violations of " + ruleId + ": " + violations(f));
    return v.get(0);
  }

  // --- phrase kinds: hit, miss, exception, zh and en -------------------------------------------

  @Test
  void cleanConversationHasNoViolationAndScores100() {
    ConversationQa qa = INSPECTOR.inspect(agentSays("已经为您提交退款申请，预计1-3个工作日到账。").events);
    assertEquals(List.of(), qa.violations());
    assertEquals(100, qa.score());
    assertEquals(1, qa.agents().size());
    assertEquals(100, qa.agents().get(0).score());
  }

  @Test
  void forbiddenPhraseChineseAndEnglish() {
    QaViolation zh = only(agentSays("这不是我们的问题，你去找快递。"), "forbidden");
    assertEquals(QaRuleKind.FORBIDDEN_PHRASE, zh.getRuleKind());
    assertEquals("这不是我们的问题", zh.getMatchedText());
    assertEquals("a1", zh.getAgentId());
    assertEquals(10, zh.getPenalty());
    QaViolation en = only(agentSays("Well, that's not my problem."), "forbidden");
    assertEquals("not my problem", en.getMatchedText());
    assertEquals(List.of(), rules(agentSays("I'm sorry this became a problem for you.")));
  }

  @Test
  void forbiddenExceptionCancelsTheHit() {
    assertEquals(List.of("forbidden"), rules(agentSays("Sorry, that's your fault.")));
    assertEquals(List.of(), rules(agentSays("Don't worry, it's not your fault at all.")));
  }

  @Test
  void promiseWithExceptions() {
    assertEquals("一定", only(agentSays("退款今天一定到账。"), "promise").getMatchedText());
    assertEquals(List.of(), rules(agentSays("到账时间不一定，一般三天左右。")));
    assertEquals(List.of(), rules(agentSays("您一定要保留好快递单号。")));
    assertEquals(List.of(), rules(agentSays("这个我无法保证，但会尽快催促。")));
    assertEquals(
        "guarantee",
        only(agentSays("I can guarantee it ships today."), "promise").getMatchedText());
    assertEquals(List.of(), rules(agentSays("I can't guarantee a date, but I'll chase it.")));
    assertEquals(List.of(), rules(agentSays("I cannot promise you a date.")));
  }

  @Test
  void jargonAndHiddenProcess() {
    assertEquals("SLA", only(agentSays("按照SLA，我们会在48小时内响应。"), "jargon").getMatchedText());
    assertEquals("逆向物流", only(agentSays("退货会走逆向物流。"), "jargon").getMatchedText());
    assertEquals(List.of(), rules(agentSays("我们在一二线城市都有仓库。")));
    assertEquals(
        QaRuleKind.HIDDEN_PROCESS,
        only(agentSays("内部规定不能说，您理解一下。"), "hidden-process").getRuleKind());
    assertEquals(
        "that's internal",
        only(agentSays("Sorry, that's internal."), "hidden-process").getMatchedText());
  }

  @Test
  void oneViolationPerRuleAndMessageWithTheFirstHitAsEvidence() {
    QaViolation v = only(agentSays("我保证明天到，绝对没问题，一定的。"), "promise");
    assertEquals("保证", v.getMatchedText());
    assertEquals("c1:promise:c1-07", v.getViolationId());
  }

  // --- normalisation and word boundaries -------------------------------------------------------

  @Test
  void fullWidthCaseAndSpacesAreNormalisedButEvidenceIsTheOriginalText() {
    assertEquals("ＳＬＡ", only(agentSays("按照ＳＬＡ处理。"), "jargon").getMatchedText());
    assertEquals("sla", only(agentSays("按照sla处理。"), "jargon").getMatchedText());
    assertEquals(
        "NOT  MY\nPROBLEM",
        only(agentSays("That's NOT  MY\nPROBLEM."), "forbidden").getMatchedText());
    assertEquals("不 归 我 管", only(agentSays("这个不 归 我 管。"), "forbidden").getMatchedText());
    assertEquals(
        "Not my problem", only(agentSays("Not my problem！"), "forbidden").getMatchedText());
    assertEquals(
        "That’s your fault", only(agentSays("That’s your fault."), "forbidden").getMatchedText());
  }

  @Test
  void latinPhrasesOnlyAtWordBoundaries() {
    assertEquals(List.of(), rules(agentSays("The SLAB arrived cracked, sorry.")));
    assertEquals(List.of(), rules(agentSays("Please check the L20 model.")));
    assertEquals(List.of("jargon"), rules(agentSays("Per our SLA, 48 hours.")));
    assertEquals(List.of("jargon"), rules(agentSays("已经提交L2处理。")));
    assertEquals(List.of(), rules(agentSays("It was a heyday for sales.")));
  }

  // --- sensitive data ---------------------------------------------------------------------------

  @Test
  void phoneNumbersInEveryWrittenFormButNotMaskedOnesAndTheEvidenceIsMasked() {
    for (String phone :
        List.of(
            "13812345678",
            "138 1234 5678",
            "138-1234-5678",
            "+86 13812345678",
            "+86-138-1234-5678",
            "１３８１２３４５６７８",
            "+44 20 7946 0958")) {
      QaViolation v = only(agentSays("您的手机号是" + phone + "，对吗？"), "sensitive-data");
      String evidence = v.getMatchedText().replace("，", "");
      assertEquals(phone.length(), evidence.length(), "the number's shape stays: " + evidence);
      assertTrue(evidence.contains("****"), "the number itself is not stored: " + evidence);
      assertEquals(phone.substring(phone.length() - 4), evidence.substring(evidence.length() - 4));
    }
    assertEquals(
        "138****5678", only(agentSays("您的手机号是13812345678，对吗？"), "sensitive-data").getMatchedText());
    assertEquals(
        "**** **** **** 1111",
        only(agentSays("Card 4111 1111 1111 1111 was charged."), "sensitive-data")
            .getMatchedText()
            .trim());
    assertEquals(List.of(), rules(agentSays("您的手机号是138****5678，对吗？")));
    assertEquals(List.of(), rules(agentSays("订单DD20261120004217已发货。")));
  }

  @Test
  void residentIdAndCardNeedValidCheckDigits() {
    assertEquals(List.of("sensitive-data"), rules(agentSays("身份证11010519491231002X已核验。")));
    assertEquals(List.of(), rules(agentSays("身份证110105194912310021已核验。")));
    assertEquals(
        List.of("sensitive-data"), rules(agentSays("Card 4111 1111 1111 1111 was charged.")));
    assertEquals(List.of(), rules(agentSays("Card 4111 1111 1111 1112 was charged.")));
    assertEquals(List.of(), rules(agentSays("Card ending 1111 was charged.")));
  }

  // --- required phrases -------------------------------------------------------------------------

  @Test
  void everyAgentMustGreetInTheirFirstMessage() {
    Fixtures f = new Fixtures("c1").web();
    f.customer(1, "转人工");
    f.handoff("billing", 2).assigned("a1", "billing", 3);
    f.agent("a1", 5, "请问您的订单号是多少？");
    f.customer(10, "DD20261120004217");
    f.agent("a1", 20, "好的，这个问题需要专家处理，我为您转接。");
    f.transferred("a1", "expert", 21).assigned("e1", "expert", 40);
    f.agent("e1", 45, "Hello, this is Sam from the expert team.");
    f.agent("e1", 60, "Thanks for your patience, have a nice day!");
    f.closed(70);
    ConversationQa qa = INSPECTOR.inspect(f.events);
    assertEquals(
        List.of("greeting"), qa.violations().stream().map(QaViolation::getRuleId).toList());
    QaViolation v = qa.violations().get(0);
    assertEquals("a1", v.getAgentId());
    assertEquals("c1-05", v.getMessageId());
    assertNull(v.getMatchedText());
    assertEquals(Instant.ofEpochMilli(Fixtures.at(5)), v.getEventTime());
  }

  @Test
  void closingIsRequiredOnlyWhenTheConversationClosesWithTheAgent() {
    Fixtures f = agentSays("已经为您处理好了。");
    f.events.remove(f.events.size() - 2); // drop the closing line
    assertEquals(List.of("closing"), rules(f));
    assertEquals("c1-07", only(f, "closing").getMessageId());
    // the customer having the last word does not matter
    Fixtures g = agentSays("已经为您处理好了。");
    g.events.remove(g.events.size() - 2);
    g.customer(35, "好的谢谢");
    assertEquals(List.of("closing"), rules(g));
    // transferred away: the agent's last message is no closing
    Fixtures h = new Fixtures("c1").web();
    h.customer(1, "转人工");
    h.handoff("billing", 2).assigned("a1", "billing", 3);
    h.agent("a1", 5, "您好，请问有什么可以帮您？");
    h.agent("a1", 20, "我为您转接专家。");
    h.transferred("a1", "expert", 21);
    h.event(io.kefu.schemas.EventType.ABANDONED, 300);
    h.closed(301);
    assertEquals(List.of(), rules(h));
    // not closed yet: no verdict
    Fixtures open = agentSays("已经为您处理好了。");
    open.events.remove(open.events.size() - 1);
    open.events.remove(open.events.size() - 1);
    assertEquals(List.of(), rules(open));
  }

  // --- slow reply -------------------------------------------------------------------------------

  @Test
  void slowReplyCountsFromTheFirstUnansweredCustomerMessageButNotBeforeTheAnswer() {
    Fixtures f = new Fixtures("c1").web();
    f.customer(1, "转人工");
    f.handoff("billing", 2).assigned("a1", "billing", 200); // waited long in the queue: not slow
    f.agent("a1", 205, "您好，请问有什么可以帮您？");
    f.customer(210, "我的退款呢？");
    f.customer(230, "在吗？");
    f.agent("a1", 271, "我查一下。"); // 61 s after the first unanswered message
    f.customer(280, "好");
    f.agent("a1", 340, "已经处理好了，感谢您的耐心。"); // exactly 60 s: not slow
    f.closed(350);
    List<QaViolation> v = violations(f);
    assertEquals(List.of("slow-reply"), v.stream().map(QaViolation::getRuleId).toList());
    assertEquals("a1", v.get(0).getAgentId());
    assertEquals(Instant.ofEpochMilli(Fixtures.at(271)), v.get(0).getEventTime());
  }

  // --- unescalated anger ------------------------------------------------------------------------

  @Test
  void angerWithTheBotMustBeHandedOffWithinTheLimit() {
    Fixtures late = new Fixtures("c1").web();
    ConversationEvent angry = late.customer(10, "你们这是什么破服务！！！", 0.92);
    late.bot(12, "请问您是想查询订单吗？");
    late.customer(30, "我要投诉！", 0.95); // same stretch with the bot: no second violation
    late.customer(75, "转人工", 0.3);
    late.handoff("billing", 77).assigned("a1", "billing", 80);
    late.agent("a1", 82, "您好，让您久等了。");
    late.customer(90, "气死我了", 0.99); // with an agent: not the bot's problem
    late.agent("a1", 100, "非常抱歉，感谢您的耐心。");
    late.closed(110);
    QaViolation v = only(late, "unescalated-anger");
    assertEquals(angry.getEventId(), v.getMessageId());
    assertNull(v.getAgentId());
    assertEquals(QaRuleKind.UNESCALATED_ANGER, v.getRuleKind());
    assertEquals(Instant.ofEpochMilli(Fixtures.at(10)), v.getEventTime());
    assertEquals(95, INSPECTOR.inspect(late.events).score());
    assertEquals(100, INSPECTOR.inspect(late.events).agents().get(0).score());

    Fixtures quick = new Fixtures("c2").web();
    quick.customer(10, "I WANT A REFUND NOW.", 0.9);
    quick.handoff("billing", 60);
    quick.closed(400);
    assertEquals(List.of(), rules(quick));

    Fixtures below = new Fixtures("c3").web();
    below.customer(10, "有点失望", 0.79);
    below.closed(400);
    assertEquals(List.of(), rules(below));

    Fixtures never = new Fixtures("c4").web();
    never.customer(10, "垃圾！", 0.85);
    never.closed(30);
    assertEquals(List.of("unescalated-anger"), rules(never));
  }

  @Test
  void angerScoreIsUsedOnlyForMessagesWithoutAnger() {
    Fixtures f = new Fixtures("c1").web();
    f.customer(10, "垃圾平台！");
    f.customer(20, "退钱", 0.1);
    f.closed(200);
    assertEquals(List.of(), rules(f));
    QaInspector scored =
        new QaInspector(
            DEFAULTS, (AngerScore & Serializable) text -> text.contains("垃圾") ? 0.9 : 0.0);
    assertEquals(
        List.of("unescalated-anger"),
        scored.inspect(f.events).violations().stream().map(QaViolation::getRuleId).toList());
  }

  // --- scope ------------------------------------------------------------------------------------

  static final String SCOPED =
      """
      version: scoped
      rules:
        - id: no-jargon-on-phone
          kind: JARGON
          description: only voice, only queue returns
          roles: [AGENT]
          channels: [PHONE]
          queues: [returns]
          penalty: 30
          phrases: [RMA]
        - id: bot-politeness
          kind: FORBIDDEN_PHRASE
          description: the bot must not say this
          roles: [BOT]
          penalty: 50
          phrases: {zh: [无法理解], en: ["can't understand"]}
      """;

  @Test
  void scopeByRoleChannelAndQueue() {
    QaInspector inspector = new QaInspector(QaRuleSet.parse(SCOPED, "scoped.yaml"));
    Fixtures phone = new Fixtures("c1").started(Channel.PHONE, Entry.HUMAN, "returns", 0);
    phone.handoff("returns", 1).assigned("a1", "returns", 2);
    phone.agent("a1", 3, "I've raised an RMA.");
    phone.bot(4, "Sorry, I can't understand.");
    phone.customer(5, "RMA? I can't understand.");
    assertEquals(
        List.of("no-jargon-on-phone", "bot-politeness"),
        inspector.inspect(phone.events).violations().stream().map(QaViolation::getRuleId).toList());

    Fixtures web = new Fixtures("c2").started(Channel.WEB, Entry.BOT, "returns", 0);
    web.handoff("returns", 1).assigned("a1", "returns", 2);
    web.agent("a1", 3, "I've raised an RMA.");
    assertEquals(List.of(), inspector.inspect(web.events).violations());

    Fixtures otherQueue = new Fixtures("c3").started(Channel.PHONE, Entry.HUMAN, "billing", 0);
    otherQueue.handoff("billing", 1).assigned("a1", "billing", 2);
    otherQueue.agent("a1", 3, "I've raised an RMA.");
    assertEquals(List.of(), inspector.inspect(otherQueue.events).violations());
  }

  // --- scores and attribution -------------------------------------------------------------------

  @Test
  void scoresAreOneHundredMinusPenaltiesFlooredAtZeroPerConversationAndPerAgent() {
    Fixtures f = new Fixtures("c1").web();
    f.customer(1, "转人工");
    f.handoff("billing", 2).assigned("a1", "billing", 3);
    f.agent("a1", 5, "你自己看说明。"); // greeting 2 + forbidden 10
    f.agent("a1", 6, "爱买不买。"); // forbidden 10
    f.agent("a1", 7, "急什么。"); // forbidden 10
    f.agent("a1", 8, "你问我我问谁。"); // forbidden 10
    f.agent("a1", 9, "跟我说没用。"); // forbidden 10
    f.agent("a1", 10, "别问了。"); // forbidden 10
    f.agent("a1", 11, "爱信不信。"); // forbidden 10
    f.agent("a1", 12, "活该。"); // forbidden 10
    f.agent("a1", 13, "闭嘴。"); // forbidden 10
    f.agent("a1", 14, "有完没完。"); // forbidden 10, closing 2 (last message, closed)
    f.transferred("a1", "expert", 15).assigned("e1", "expert", 20);
    f.agent("e1", 25, "您好，我保证今天处理好。"); // promise 5
    f.agent("e1", 30, "感谢您的耐心，再见。");
    f.closed(40);
    ConversationQa qa = INSPECTOR.inspect(f.events);
    assertEquals(0, qa.score()); // 100 - 107, floored
    assertEquals(2, qa.agents().size());
    AgentQa a1 = qa.agents().get(0);
    assertEquals("a1", a1.agentId());
    assertEquals(0, a1.score()); // 100 - 102, floored
    assertEquals(11, a1.violations());
    assertEquals(Map.of("forbidden", 10, "greeting", 1), a1.byRule());
    assertEquals("billing", a1.queue());
    assertEquals(Channel.WEB, a1.channel());
    AgentQa e1 = qa.agents().get(1);
    assertEquals(95, e1.score());
    assertEquals(Map.of("promise", 1), e1.byRule());
    assertEquals("expert", e1.queue());
    double sum = qa.violations().stream().mapToDouble(QaViolation::getPenalty).sum();
    assertEquals(107, sum);
  }

  @Test
  void everyViolationFieldIsFilled() {
    QaViolation v = only(agentSays("我保证明天到。"), "promise");
    assertEquals("c1:promise:c1-07", v.getViolationId());
    assertEquals("acme", v.getTenant());
    assertEquals("c1", v.getConversationId());
    assertEquals("c1-07", v.getMessageId());
    assertEquals("a1", v.getAgentId());
    assertEquals(Channel.WEB, v.getChannel());
    assertEquals("billing", v.getQueue());
    assertEquals("promise", v.getRuleId());
    assertEquals(QaRuleKind.UNKEPT_PROMISE, v.getRuleKind());
    assertEquals(DEFAULTS.version(), v.getRuleVersion());
    assertEquals("保证", v.getMatchedText());
    assertEquals(5, v.getPenalty());
    assertEquals(Instant.ofEpochMilli(Fixtures.at(20)), v.getEventTime());
  }

  // --- determinism and serialization ------------------------------------------------------------

  @Test
  void anyOrderAndDuplicatesGiveTheSameResult() {
    Fixtures f = agentSays("我保证明天到，那是你的事。");
    f.events.remove(f.events.size() - 2);
    ConversationQa expected = INSPECTOR.inspect(f.events);
    assertEquals(3, expected.violations().size());
    Random rnd = new Random(42);
    for (int i = 0; i < 20; i++) {
      List<ConversationEvent> shuffled = new ArrayList<>(f.events);
      shuffled.add(f.events.get(rnd.nextInt(f.events.size())));
      Collections.shuffle(shuffled, rnd);
      assertEquals(expected, INSPECTOR.inspect(shuffled));
    }
  }

  @Test
  void inspectorSurvivesJavaSerialization() throws Exception {
    QaInspector scored =
        new QaInspector(DEFAULTS, (AngerScore & Serializable) text -> text.length() > 3 ? 1 : 0);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(scored);
    }
    QaInspector copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (QaInspector) in.readObject();
    }
    Fixtures f = agentSays("按照SLA，我保证明天到。");
    f.customer(1.5, "你们这是什么破服务");
    assertEquals(scored.inspect(f.events), copy.inspect(f.events));
    assertEquals(DEFAULTS.version(), copy.rules().version());
    assertTrue(copy.inspect(f.events).violations().size() >= 2);
  }
}
