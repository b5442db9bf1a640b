package io.kefu.simulator;

import java.util.SplittableRandom;

/**
 * Message texts for customers, the bot and agents, from the phrase bank, with slots filled from the
 * conversation ({@code {product}}, {@code {order_no}}, the customer's personal data …).
 */
final class Dialogues {

  static final String[] TOPICS = {"billing", "delivery", "returns", "technical", "account"};

  private static final String[] PRODUCTS_ZH = {
    "蓝牙耳机", "空气炸锅", "运动鞋", "扫地机器人", "手机壳", "羽绒服", "电饭煲", "面霜", "婴儿推车", "台灯", "智能手表", "机械键盘", "行李箱",
    "咖啡机", "保温杯", "跑步机", "投影仪", "电动牙刷"
  };
  private static final String[] PRODUCTS_EN = {
    "wireless earbuds", "air fryer", "running shoes", "robot vacuum", "phone case", "down jacket",
    "rice cooker", "face cream", "baby stroller", "desk lamp", "smart watch", "mechanical keyboard",
    "suitcase", "coffee machine", "travel mug", "treadmill", "projector", "electric toothbrush"
  };

  /** Per-conversation values for the slots, fixed once so that a dialogue stays consistent. */
  static final class Slots {
    String product;
    String orderNo;
    String amount;
    String date;
    String agent;
    String phone;
    String email;
    String idNumber;
    String card;
    String name;
  }

  private final PhraseBank bank;
  private final java.time.ZoneId zone;

  Dialogues(PhraseBank bank, java.time.ZoneId zone) {
    this.bank = bank;
    this.zone = zone;
  }

  Slots slots(String language, People.Person person, long startMillis, SplittableRandom rnd) {
    Slots s = new Slots();
    boolean zh = language.equals("zh");
    s.product =
        zh
            ? PRODUCTS_ZH[rnd.nextInt(PRODUCTS_ZH.length)]
            : PRODUCTS_EN[rnd.nextInt(PRODUCTS_EN.length)];
    java.time.LocalDate day =
        java.time.Instant.ofEpochMilli(startMillis)
            .atZone(zone)
            .toLocalDate()
            .minusDays(1 + rnd.nextInt(20));
    s.orderNo =
        "DD"
            + day.getYear()
            + Ids.pad(day.getMonthValue(), 2)
            + Ids.pad(day.getDayOfMonth(), 2)
            + Ids.pad(rnd.nextInt(1_000_000), 6);
    int yuan = 9 + rnd.nextInt(2990);
    int fen = rnd.nextInt(100);
    s.amount = zh ? yuan + "." + Ids.pad(fen, 2) + "元" : "$" + (yuan / 7) + "." + Ids.pad(fen, 2);
    s.date =
        zh
            ? day.getMonthValue() + "月" + day.getDayOfMonth() + "日"
            : day.getMonth()
                    .getDisplayName(java.time.format.TextStyle.SHORT, java.util.Locale.ENGLISH)
                + " "
                + day.getDayOfMonth();
    s.phone = People.asTyped(person.phone(), rnd);
    s.email = person.email();
    s.idNumber = person.idNumber();
    s.card = person.bankCard();
    s.name = person.name();
    return s;
  }

  String pick(String path, String language, Slots slots, SplittableRandom rnd) {
    return fill(bank.pick(path + "." + language, rnd), slots);
  }

  PhraseBank.Violation violation(String kind, String language, SplittableRandom rnd) {
    return bank.pickViolation("violations." + kind + "." + language, rnd);
  }

  /** Replaces {@code {slot}} markers; an unknown slot is a bug in the phrase bank. */
  static String fill(String template, Slots s) {
    int open = template.indexOf('{');
    if (open < 0) {
      return template;
    }
    StringBuilder sb = new StringBuilder(template.length() + 24);
    int from = 0;
    while (open >= 0) {
      int close = template.indexOf('}', open);
      if (close < 0) {
        break;
      }
      sb.append(template, from, open);
      sb.append(value(template.substring(open + 1, close), s, template));
      from = close + 1;
      open = template.indexOf('{', from);
    }
    return sb.append(template, from, template.length()).toString();
  }

  private static String value(String slot, Slots s, String template) {
    switch (slot) {
      case "product":
        return s.product;
      case "order_no":
        return s.orderNo;
      case "amount":
        return s.amount;
      case "date":
        return s.date;
      case "agent":
        return s.agent == null ? "" : s.agent;
      case "phone":
        return s.phone;
      case "email":
        return s.email;
      case "id_number":
        return s.idNumber;
      case "card":
        return s.card;
      case "name":
        return s.name;
      default:
        throw new IllegalStateException("unknown slot {" + slot + "} in \"" + template + "\"");
    }
  }
}
