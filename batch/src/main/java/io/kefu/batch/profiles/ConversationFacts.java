package io.kefu.batch.profiles;

import java.io.Serializable;

/**
 * What the profiles need of one conversation, folded from its lake events before the snapshot
 * (plain Java; {@link ProfileJob} is the Spark adapter). Events arrive in any order and a
 * conversation's events may be split over several partitions: each partition folds its own with
 * {@link #add}, and the partial folds are combined with {@link #merge}, which is associative and
 * commutative, so the result does not depend on the split.
 *
 * <p>From its start events: started_at (the earliest), tenant, customer and channel (the greatest,
 * in UTF-8 byte order, as Spark's {@code max}); closed and resolved (any CLOSED, any RESOLVED);
 * surveys (any event with a csat: sum, count, and the csat of the latest); customer messages:
 * sentiment sum and count (those with a score), complaints (anger ≥ {@link
 * ProfileJob#ANGER_THRESHOLD}) and the language of the latest one (on a tie the first code).
 *
 * <p>A JavaBean so that Spark's bean encoder carries it between stages; -1 / {@link Long#MIN_VALUE}
 * stand for "none" in the primitive fields, as documented on each.
 */
public final class ConversationFacts implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Event kinds the fold distinguishes, as {@link ProfileJob} projects them. */
  public static final int OTHER = 0;

  public static final int STARTED = 1;
  public static final int CLOSED = 2;
  public static final int RESOLVED = 3;
  public static final int CUSTOMER_MESSAGE = 4;

  private static final long NONE = Long.MIN_VALUE;

  private String conversationId;
  private long startedAt = NONE;
  private String tenant;
  private String customer;
  private String channel;
  private boolean closed;
  private boolean resolved;
  private long csatSum;
  private long csatN;
  private int csatLast;
  private long csatTime = NONE;
  private double sentimentSum;
  private long sentimentN;
  private long complaints;
  private String language;
  private long languageTime = NONE;

  public ConversationFacts() {}

  public ConversationFacts(String conversationId) {
    this.conversationId = conversationId;
  }

  /** Folds one event in (only those before the snapshot are given). */
  public void add(LakeEvent e) {
    switch (e.getKind()) {
      case STARTED -> start(e.getTime(), e.getTenant(), e.getCustomer(), e.getChannel());
      case CLOSED -> closed = true;
      case RESOLVED -> resolved = true;
      case CUSTOMER_MESSAGE ->
          message(e.getTime(), e.getLanguage(), e.getSentiment(), e.getAnger());
      default -> {}
    }
    if (e.getCsat() != null) {
      survey(e.getTime(), e.getCsat());
    }
  }

  private void start(long time, String t, String c, String ch) {
    if (startedAt == NONE || time < startedAt) {
      startedAt = time;
    }
    tenant = Utf8Order.max(tenant, t);
    customer = Utf8Order.max(customer, c);
    channel = Utf8Order.max(channel, ch);
  }

  private void message(long time, String lang, Double sentiment, Double anger) {
    if (sentiment != null) {
      sentimentSum += sentiment;
      sentimentN++;
    }
    if (anger != null && anger >= ProfileJob.ANGER_THRESHOLD) {
      complaints++;
    }
    if (lang != null) {
      language(time, lang);
    }
  }

  private void language(long time, String lang) {
    if (languageTime == NONE
        || time > languageTime
        || (time == languageTime && lang.compareTo(language) < 0)) {
      languageTime = time;
      language = lang;
    }
  }

  private void survey(long time, int csat) {
    csatSum += csat;
    csatN++;
    if (csatTime == NONE || time > csatTime) {
      csatTime = time;
      csatLast = csat;
    }
  }

  /** Adds another partial fold of the same conversation. */
  public void merge(ConversationFacts o) {
    if (o.startedAt != NONE) {
      start(o.startedAt, o.tenant, o.customer, o.channel);
    }
    closed |= o.closed;
    resolved |= o.resolved;
    csatSum += o.csatSum;
    csatN += o.csatN;
    if (o.csatTime != NONE && (csatTime == NONE || o.csatTime > csatTime)) {
      csatTime = o.csatTime;
      csatLast = o.csatLast;
    }
    sentimentSum += o.sentimentSum;
    sentimentN += o.sentimentN;
    complaints += o.complaints;
    if (o.languageTime != NONE) {
      language(o.languageTime, o.language);
    }
  }

  /** Whether a start event was among the events: a conversation without one has no customer. */
  public boolean started() {
    return startedAt != NONE;
  }

  /** The mean customer sentiment, or null without a scored customer message. */
  public Double meanSentiment() {
    return sentimentN > 0 ? sentimentSum / sentimentN : null;
  }

  public String getConversationId() {
    return conversationId;
  }

  public void setConversationId(String v) {
    conversationId = v;
  }

  /** Epoch milliseconds of the earliest start event; {@link Long#MIN_VALUE}: none. */
  public long getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(long v) {
    startedAt = v;
  }

  public String getTenant() {
    return tenant;
  }

  public void setTenant(String v) {
    tenant = v;
  }

  public String getCustomer() {
    return customer;
  }

  public void setCustomer(String v) {
    customer = v;
  }

  public String getChannel() {
    return channel;
  }

  public void setChannel(String v) {
    channel = v;
  }

  public boolean isClosed() {
    return closed;
  }

  public void setClosed(boolean v) {
    closed = v;
  }

  public boolean isResolved() {
    return resolved;
  }

  public void setResolved(boolean v) {
    resolved = v;
  }

  public long getCsatSum() {
    return csatSum;
  }

  public void setCsatSum(long v) {
    csatSum = v;
  }

  public long getCsatN() {
    return csatN;
  }

  public void setCsatN(long v) {
    csatN = v;
  }

  /** The csat of the latest survey; meaningless when {@link #getCsatN} is 0. */
  public int getCsatLast() {
    return csatLast;
  }

  public void setCsatLast(int v) {
    csatLast = v;
  }

  /** Epoch milliseconds of the latest survey; {@link Long#MIN_VALUE}: none. */
  public long getCsatTime() {
    return csatTime;
  }

  public void setCsatTime(long v) {
    csatTime = v;
  }

  public double getSentimentSum() {
    return sentimentSum;
  }

  public void setSentimentSum(double v) {
    sentimentSum = v;
  }

  public long getSentimentN() {
    return sentimentN;
  }

  public void setSentimentN(long v) {
    sentimentN = v;
  }

  public long getComplaints() {
    return complaints;
  }

  public void setComplaints(long v) {
    complaints = v;
  }

  public String getLanguage() {
    return language;
  }

  public void setLanguage(String v) {
    language = v;
  }

  /** Epoch milliseconds of the latest customer message with a language; MIN_VALUE: none. */
  public long getLanguageTime() {
    return languageTime;
  }

  public void setLanguageTime(long v) {
    languageTime = v;
  }
}
