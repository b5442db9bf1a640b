package io.kefu.simulator;

import java.time.LocalDate;
import java.util.SplittableRandom;

/**
 * Generates realistic personal data: Chinese and English names, mainland mobile numbers, e-mail
 * addresses, resident ID numbers with a valid ISO 7064 MOD 11-2 check character and Luhn-valid bank
 * card numbers. The values are synthetic but pass the same checks real ones do, so the sandbox's
 * detectors are exercised honestly.
 */
final class People {

  /** One customer's personal data. */
  record Person(
      String name,
      String asciiName,
      String phone,
      String email,
      String idNumber,
      String bankCard) {}

  private static final int[] ID_WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  private static final char[] ID_CHECK = "10X98765432".toCharArray();

  private final PhraseBank bank;

  People(PhraseBank bank) {
    this.bank = bank;
  }

  Person person(String language, SplittableRandom rnd) {
    String name;
    String ascii;
    if (language.equals("zh")) {
      String[] surname = bank.pick("names.zh_surnames", rnd).split("\\|");
      String[] given = bank.pick("names.zh_given", rnd).split("\\|");
      name = surname[0] + given[0];
      ascii = given[1] + "." + surname[1];
    } else {
      String first = bank.pick("names.en_first", rnd);
      String last = bank.pick("names.en_last", rnd);
      name = first + " " + last;
      ascii = asciiLetters(first) + "." + asciiLetters(last);
    }
    String domain =
        bank.pick(language.equals("zh") ? "names.email_domains_zh" : "names.email_domains_en", rnd);
    String email =
        (rnd.nextBoolean() ? ascii : ascii.replace(".", ""))
            + (10 + rnd.nextInt(990))
            + "@"
            + domain;
    return new Person(name, ascii, phone(rnd), email, idNumber(rnd), bankCard(rnd));
  }

  private static String asciiLetters(String name) {
    StringBuilder sb = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = Character.toLowerCase(name.charAt(i));
      if (c >= 'a' && c <= 'z') {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  String phone(SplittableRandom rnd) {
    StringBuilder sb = new StringBuilder(11);
    sb.append(bank.pick("names.mobile_prefixes", rnd));
    for (int i = 0; i < 8; i++) {
      sb.append((char) ('0' + rnd.nextInt(10)));
    }
    return sb.toString();
  }

  String idNumber(SplittableRandom rnd) {
    LocalDate birth = LocalDate.of(1955, 1, 1).plusDays(rnd.nextInt(365 * 50));
    StringBuilder sb = new StringBuilder(18);
    sb.append(bank.pick("names.id_regions", rnd));
    sb.append(birth.getYear())
        .append(Ids.pad(birth.getMonthValue(), 2))
        .append(Ids.pad(birth.getDayOfMonth(), 2))
        .append(Ids.pad(rnd.nextInt(1000), 3));
    sb.append(idCheck(sb));
    return sb.toString();
  }

  String bankCard(SplittableRandom rnd) {
    String[] bin = bank.pick("names.card_bins", rnd).split("\\|");
    int length = Integer.parseInt(bin[1]);
    StringBuilder sb = new StringBuilder(length).append(bin[0]);
    while (sb.length() < length - 1) {
      sb.append((char) ('0' + rnd.nextInt(10)));
    }
    sb.append(luhnCheck(sb));
    return sb.toString();
  }

  /** The ISO 7064 MOD 11-2 check character of the first 17 characters of a resident ID. */
  static char idCheck(CharSequence first17) {
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (first17.charAt(i) - '0') * ID_WEIGHTS[i];
    }
    return ID_CHECK[sum % 11];
  }

  /** The Luhn check digit to append to {@code digits}. */
  static char luhnCheck(CharSequence digits) {
    int sum = 0;
    boolean doubleIt = true; // the digit left of the check digit is doubled
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (doubleIt) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      doubleIt = !doubleIt;
    }
    return (char) ('0' + (10 - sum % 10) % 10);
  }

  /** A phone number as a customer might type it: plain, spaced, dashed or with +86. */
  static String asTyped(String phone, SplittableRandom rnd) {
    switch (rnd.nextInt(6)) {
      case 0:
        return phone.substring(0, 3) + " " + phone.substring(3, 7) + " " + phone.substring(7);
      case 1:
        return phone.substring(0, 3) + "-" + phone.substring(3, 7) + "-" + phone.substring(7);
      case 2:
        return "+86 " + phone;
      case 3:
        return "+86-"
            + phone.substring(0, 3)
            + "-"
            + phone.substring(3, 7)
            + "-"
            + phone.substring(7);
      default:
        return phone;
    }
  }
}
