package io.kefu.core.sentiment;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hand-written cue lists of the anger score and the emoji valences (ours, not from a licensed
 * lexicon). Cues are matched case-insensitively on the normalised text; Latin cues only at word
 * boundaries.
 */
final class Cues {
  static final int COMPLAINT = 1;
  static final int REFUND = 1 << 1;
  static final int FRAUD = 1 << 2;
  static final int AUTHORITY = 1 << 3;
  static final int LEGAL = 1 << 4;
  static final int EXPOSURE = 1 << 5;
  static final int INSULT = 1 << 6;
  static final int DEMAND = 1 << 7;
  static final int ANGRY_EMOJI = 1 << 8;
  static final int ACRONYM = 1 << 9;
  static final int EXASPERATION = 1 << 10;

  /** Categories that are evidence of polarity by themselves (not refund or acronyms). */
  static final int EVIDENCE =
      COMPLAINT | FRAUD | AUTHORITY | LEGAL | EXPOSURE | INSULT | ANGRY_EMOJI;

  /** Anger weight of each category bit, in bit order. */
  static final double[] WEIGHTS = {1.0, 0.2, 1.2, 1.7, 1.7, 1.7, 1.2, 0.5, 1.0, 0, 0.25};

  static final PhraseTable ANGER;
  static final PhraseTable EMOJI;

  private Cues() {}

  static {
    Map<String, Integer> m = new LinkedHashMap<>();
    put(
        m,
        COMPLAINT,
        "投诉",
        "投訴",
        "举报",
        "complain",
        "complaint",
        "complaints",
        "complaining",
        "formal complaint",
        "file a complaint");
    put(
        m,
        REFUND,
        "退款",
        "退钱",
        "退货",
        "还钱",
        "赔偿",
        "赔钱",
        "refund",
        "money back",
        "chargeback",
        "charge back",
        "compensation",
        "reimburse",
        "disputing the charge");
    put(
        m,
        FRAUD,
        "骗子",
        "欺诈",
        "诈骗",
        "骗人",
        "骗钱",
        "坑人",
        "黑店",
        "骗局",
        "坑爹",
        "强盗",
        "虚假宣传",
        "scam",
        "scammer",
        "scammers",
        "scamming",
        "fraud",
        "fraudulent",
        "rip-off",
        "ripoff",
        "ripped off",
        "rip off",
        "cheated",
        "cheating",
        "con artists",
        "liars",
        "liar",
        "theft",
        "thieves",
        "thief",
        "stealing",
        "stole",
        "false advertising");
    put(
        m,
        AUTHORITY,
        "12315",
        "消协",
        "消费者协会",
        "工商",
        "市场监管",
        "监管部门",
        "报警",
        "警察",
        "银保监",
        "consumer council",
        "consumer protection",
        "bbb",
        "better business bureau",
        "regulator",
        "regulators",
        "ombudsman",
        "ftc",
        "trading standards",
        "attorney general",
        "police");
    put(
        m,
        LEGAL,
        "律师",
        "起诉",
        "法院",
        "告你们",
        "打官司",
        "法律途径",
        "追究",
        "负得起责任",
        "lawyer",
        "lawyers",
        "attorney",
        "sue",
        "suing",
        "lawsuit",
        "legal action",
        "court",
        "small claims");
    put(
        m,
        EXPOSURE,
        "曝光",
        "发微博",
        "微博",
        "抖音",
        "小红书",
        "差评",
        "媒体",
        "朋友圈",
        "网上曝光",
        "twitter",
        "tweet",
        "social media",
        "facebook",
        "tiktok",
        "reddit",
        "yelp",
        "trustpilot",
        "bad review",
        "one star",
        "1 star",
        "1-star",
        "one-star",
        "go public",
        "everyone knows",
        "everyone know");
    put(
        m,
        INSULT,
        "垃圾",
        "什么破",
        "破服务",
        "破东西",
        "破玩意",
        "废物",
        "傻逼",
        "傻b",
        "sb",
        "弱智",
        "脑残",
        "滚蛋",
        "滚吧",
        "去死",
        "狗屁",
        "妈的",
        "tmd",
        "他妈",
        "混蛋",
        "王八蛋",
        "无耻",
        "不要脸",
        "有病",
        "恶心",
        "什么德行",
        "德行",
        "人话",
        "机器人吗",
        "个鬼",
        "好欺负",
        "idiot",
        "idiots",
        "stupid",
        "useless",
        "incompetent",
        "pathetic",
        "garbage",
        "trash",
        "crap",
        "wtf",
        "damn",
        "bullshit",
        "bs",
        "shit",
        "fuck",
        "fucking",
        "f**k",
        "morons",
        "moron",
        "clowns",
        "disgusting",
        "shameless",
        "joke",
        "hell");
    put(
        m,
        DEMAND,
        "马上",
        "立刻",
        "立即",
        "凭什么",
        "给我",
        "赶紧",
        "受够",
        "太过分",
        "过分",
        "离谱",
        "忍无可忍",
        "最后一次",
        "搞什么",
        "叫你们领导",
        "你们领导",
        "没完",
        "打官腔",
        "immediately",
        "right now",
        "right away",
        "seriously",
        "unacceptable",
        "ridiculous",
        "outrageous",
        "fed up",
        "sick of",
        "sick and tired",
        "enough is enough",
        "last time",
        "how dare",
        "absurd",
        "furious",
        "angry",
        "livid",
        "disgusted",
        "unbelievable",
        "unreal",
        "your manager",
        "does anyone care",
        "is anyone there");
    put(
        m,
        EXASPERATION,
        "到底",
        "究竟",
        "什么意思",
        "怎么回事",
        "what the",
        "again",
        "still",
        "how many times",
        "多少次",
        "fifth time",
        "third time");
    put(m, ANGRY_EMOJI, "😡", "🤬", "😠", "👿", "💢", "😤", "🖕");
    put(
        m, ACRONYM, "ok", "vip", "id", "usb", "pdf", "faq", "app", "sms", "otp", "cod", "eta",
        "ups", "dhl", "tv", "pc", "sim", "ceo", "it", "i", "a", "hi", "usa", "uk", "eu", "iphone",
        "pm", "am");
    ANGER = PhraseTable.of(m);

    Map<String, Integer> e = new LinkedHashMap<>();
    // valence x 100 on VADER's -4..+4 scale
    e.put("😊", 200);
    e.put("🙂", 120);
    e.put("😀", 200);
    e.put("😁", 200);
    e.put("😃", 200);
    e.put("😄", 200);
    e.put("😍", 270);
    e.put("🥰", 270);
    e.put("❤", 250);
    e.put("👍", 180);
    e.put("👏", 180);
    e.put("🙏", 100);
    e.put("🎉", 200);
    e.put("💯", 200);
    e.put("😂", 100);
    e.put("👌", 150);
    e.put("😞", -200);
    e.put("😔", -180);
    e.put("😟", -180);
    e.put("🙁", -150);
    e.put("☹", -150);
    e.put("😢", -220);
    e.put("😭", -250);
    e.put("💔", -250);
    e.put("👎", -200);
    e.put("😒", -180);
    e.put("🙄", -150);
    e.put("😩", -220);
    e.put("😫", -220);
    e.put("😡", -300);
    e.put("🤬", -330);
    e.put("😠", -280);
    e.put("👿", -280);
    e.put("💢", -250);
    e.put("😤", -220);
    e.put("🖕", -330);
    EMOJI = PhraseTable.of(e);
  }

  private static void put(Map<String, Integer> m, int category, String... phrases) {
    for (String p : phrases) {
      m.merge(Scratch.normalizedPhrase(p), category, (a, b) -> a | b);
    }
  }

  static boolean maybeEmoji(char c) {
    return Character.isSurrogate(c) || (c >= 0x2600 && c <= 0x27BF);
  }

  /** Summed emoji valence of the text (VADER scale). */
  static double emojiValence(Scratch s) {
    char[] a = s.text;
    int n = s.length;
    double v = 0;
    for (int i = 0; i < n; i++) {
      if (maybeEmoji(a[i])) {
        long hit = EMOJI.longestAt(a, i, 0, n);
        if (hit >= 0) {
          v += (int) hit / 100.0;
          i += (int) (hit >>> 32) - 1;
        }
      }
    }
    return v;
  }
}
