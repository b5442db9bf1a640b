package io.kefu.batch.profiles;

import java.io.Serializable;

/**
 * The narrow, typed projection of a lake event that {@link ConversationFacts} folds: the event type
 * reduced to a kind ({@link ConversationFacts#STARTED} …), the time in epoch milliseconds, and only
 * the fields its kind uses (tenant, customer and channel of start events; language, sentiment and
 * anger of customer messages; csat of any event), the others null, so that the Parquet reader's
 * strings are only turned into Java strings where they count. {@link PartitionFolds} fills one
 * instance from each of a partition's rows in turn.
 */
public final class LakeEvent implements Serializable {
  private static final long serialVersionUID = 1L;

  private String conversationId;
  private int kind;
  private long time;
  private String tenant;
  private String customer;
  private String channel;
  private String language;
  private Double sentiment;
  private Double anger;
  private Integer csat;

  public String getConversationId() {
    return conversationId;
  }

  public void setConversationId(String v) {
    conversationId = v;
  }

  public int getKind() {
    return kind;
  }

  public void setKind(int v) {
    kind = v;
  }

  public long getTime() {
    return time;
  }

  public void setTime(long v) {
    time = v;
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

  public String getLanguage() {
    return language;
  }

  public void setLanguage(String v) {
    language = v;
  }

  public Double getSentiment() {
    return sentiment;
  }

  public void setSentiment(Double v) {
    sentiment = v;
  }

  public Double getAnger() {
    return anger;
  }

  public void setAnger(Double v) {
    anger = v;
  }

  public Integer getCsat() {
    return csat;
  }

  public void setCsat(Integer v) {
    csat = v;
  }
}
