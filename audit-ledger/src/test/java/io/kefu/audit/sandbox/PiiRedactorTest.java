package io.kefu.audit.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PiiRedactorTest {

  private static final PiiRedactor PATTERNS = PiiRedactor.patterns();
  private static final PiiRedactor WITH_NAMES =
      PiiRedactor.withNames(NameDictionary.of(List.of("王伟", "欧阳雨桐", "John Smith", "Ann Lee")));

  /** A valid resident ID: region, birth date, sequence, then its check character. */
  static String residentId(String first17) {
    int[] w = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (first17.charAt(i) - '0') * w[i];
    }
    return first17 + "10X98765432".charAt(sum % 11);
  }

  /** {@code digits} followed by its Luhn check digit. */
  static String luhn(String digits) {
    int sum = 0;
    boolean dbl = true;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (dbl) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      dbl = !dbl;
    }
    return digits + (char) ('0' + (10 - sum % 10) % 10);
  }

  private static String redact(String text) {
    return WITH_NAMES.redact(text).text();
  }

  // --- phones --------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(
      strings = {
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 13812345678",
        "+86-138-1234-5678",
        "+8613812345678",
        "008613812345678",
        "８６１３８１２３４５６７８",
        "010-12345678",
        "(0755) 1234567",
        "021 6123 4567",
        "+1 (415) 555-0100",
        "+44 20 7946 0958",
        "0044 20 7946 0958"
      })
  void phonesInChineseText(String phone) {
    assertEquals("我的手机号是[PHONE]，有问题打这个", redact("我的手机号是" + phone + "，有问题打这个"));
  }

  @Test
  void phonesInEnglishText() {
    assertEquals(
        "Call me on [PHONE] or [PHONE].", redact("Call me on 139 8765 4321 or +44 20 7946 0958."));
    assertEquals("[PHONE] is my number", redact("13912345678 is my number"));
    // a stray digit after the number does not hide it, nor a date before it
    assertEquals("call [PHONE] 3 times", redact("call 138 1234 5678 3 times"));
    assertEquals("2026-11-27 [PHONE] 打过来的", redact("2026-11-27 13812345678 打过来的"));
    assertEquals("[PHONE] [PHONE]", redact("13812345678 13987654321"));
  }

  // --- e-mail --------------------------------------------------------------------------------

  @Test
  void emails() {
    assertEquals("我的邮箱是[EMAIL]", redact("我的邮箱是wei.wang123@qq.com"));
    assertEquals("发票发到[EMAIL]就行", redact("发票发到xiaoming88@163.com就行"));
    assertEquals("Please send it to [EMAIL].", redact("Please send it to john.smith42@gmail.com."));
    assertEquals("[EMAIL] works for me", redact("johnsmith42@outlook.com works for me"));
  }

  @Test
  void emailNearMisses() {
    assertUnchanged("ping me @john on weibo");
    assertUnchanged("price @ 12.50 each");
    assertUnchanged("user@localhost is not an address");
  }

  // --- resident ID ---------------------------------------------------------------------------

  @Test
  void residentIds() {
    String id = residentId("11010519900307123");
    assertEquals("我的身份证号是[ID]", redact("我的身份证号是" + id));
    assertEquals("My ID number is [ID].", redact("My ID number is " + id + "."));
    String x = xId();
    assertTrue(x.endsWith("X"));
    assertEquals("身份证：[ID]", redact("身份证：" + x));
    assertEquals("身份证：[ID]", redact("身份证：" + x.toLowerCase()));
  }

  private static String xId() {
    for (int seq = 0; seq < 1000; seq++) {
      String id = residentId("44030619851120" + String.format("%03d", seq));
      if (id.endsWith("X")) {
        return id;
      }
    }
    throw new AssertionError();
  }

  @Test
  void residentIdNearMisses() {
    String id = residentId("11010519900307123");
    char wrong = id.charAt(17) == '1' ? '2' : '1';
    assertUnchanged("身份证号码" + id.substring(0, 17) + wrong + "，你帮我核对一下");
    // a 13th month, a 31st of April
    assertUnchanged("ID " + residentId("11010519901307123"));
    assertUnchanged("ID " + residentId("11010519900431123"));
  }

  // --- bank card -----------------------------------------------------------------------------

  @Test
  void cards() {
    String card = luhn("622202123456789012");
    assertEquals(19, card.length());
    assertEquals("我的银行卡号是[CARD]", redact("我的银行卡号是" + card));
    String spaced =
        card.substring(0, 4)
            + " "
            + card.substring(4, 8)
            + " "
            + card.substring(8, 12)
            + " "
            + card.substring(12, 16)
            + " "
            + card.substring(16);
    assertEquals(
        "Refund it to this card please: [CARD]",
        redact("Refund it to this card please: " + spaced));
    assertEquals(
        "[CARD] got charged twice", redact(luhn("436742123456789") + " got charged twice"));
  }

  @Test
  void cardNearMisses() {
    String card = luhn("622202123456789012");
    String bad = card.substring(0, 18) + (char) ('0' + (card.charAt(18) - '0' + 1) % 10);
    assertUnchanged("卡号" + bad + "，你看下是不是这张");
    // nor carved out of an invalid grouped card: neither a shorter card nor a landline
    assertUnchanged(
        "card "
            + bad.substring(0, 4)
            + " "
            + bad.substring(4, 8)
            + " "
            + bad.substring(8, 12)
            + " "
            + bad.substring(12, 16)
            + " "
            + bad.substring(16));
    // Luhn-valid but not a card prefix (1, 2, 7, 8, 9)
    assertUnchanged("流水号 " + luhn("202611271234567"));
  }

  // --- names ---------------------------------------------------------------------------------

  @Test
  void names() {
    assertEquals("我叫[NAME]", redact("我叫王伟"));
    assertEquals("收件人是[NAME]", redact("收件人是欧阳雨桐"));
    assertEquals("My name is [NAME].", redact("My name is John Smith."));
    assertEquals("[NAME] here.", redact("john smith here."));
    // whole words only for Latin names; names only from the dictionary
    assertUnchanged("Joann Leeds called");
    assertUnchanged("My name is Mary Jones.");
    assertEquals("我叫王伟", PATTERNS.redact("我叫王伟").text());
  }

  // --- near-misses that must stay ------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(
      strings = {
        "订单号DD20261115123456还没发货",
        "order DD20261115123456 has not shipped",
        "订单号：202611151234567",
        "2026-11-27 23:17:07 下单",
        "at 2026-11-27T23:17:07Z",
        "event_time 1763881200000",
        "退款金额2999.00元",
        "refund of $1,234.56 on Nov 27",
        "version 1.13812345678",
        "tracking SF1381234567800",
        "共3件，合计 299 元",
        "验证码 123456",
        "12345678901",
        "138123456789"
      })
  void nearMissesStay(String text) {
    assertUnchanged(text);
  }

  @Test
  void severalKindsInOneText() {
    String id = residentId("31010119800101001");
    PiiRedactor.Result r =
        WITH_NAMES.redact("王伟，手机13812345678，邮箱a.b@qq.com，身份证" + id + "，订单DD20261115123456");
    assertEquals("[NAME]，手机[PHONE]，邮箱[EMAIL]，身份证[ID]，订单DD20261115123456", r.text());
    assertEquals(
        List.of(PiiType.NAME, PiiType.PHONE, PiiType.EMAIL, PiiType.ID),
        r.spans().stream().map(PiiRedactor.Span::type).toList());
    assertEquals("13812345678", r.spans().get(1).value());
  }

  @Test
  void unchangedTextIsTheSameInstance() {
    String text = "您好，请问有什么可以帮您？";
    assertSame(text, WITH_NAMES.redact(text).text());
  }

  private static void assertUnchanged(String text) {
    assertEquals(text, WITH_NAMES.redact(text).text(), () -> "redacted: " + text);
  }
}
