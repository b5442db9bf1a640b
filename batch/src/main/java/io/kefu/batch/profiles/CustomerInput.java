package io.kefu.batch.profiles;

import java.io.Serializable;

/**
 * One input of a customer's {@link CustomerFold}, keyed by tenant and customer: a conversation
 * ({@link #CONVERSATION}) or what one partition saw of the customer's order lines and browsing
 * ({@link #SHOP}, from {@link ShopPartial}). A JavaBean: the one row type of the single shuffle by
 * customer.
 */
public final class CustomerInput implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final int CONVERSATION = 1;
  public static final int SHOP = 2;

  private String tenant;
  private String customer;
  private int kind;
  private ConversationFacts conversation;
  private String[] orderIds;
  private long[] orderTimes;
  private long[] orderCents;
  private String[] categories;
  private long[] points;

  public CustomerInput() {}

  static CustomerInput conversation(ConversationFacts c) {
    CustomerInput in = new CustomerInput();
    in.tenant = c.getTenant();
    in.customer = c.getCustomer();
    in.kind = CONVERSATION;
    in.conversation = c;
    return in;
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

  public int getKind() {
    return kind;
  }

  public void setKind(int v) {
    kind = v;
  }

  /** {@link #CONVERSATION}: the conversation. */
  public ConversationFacts getConversation() {
    return conversation;
  }

  public void setConversation(ConversationFacts v) {
    conversation = v;
  }

  /** {@link #SHOP}: the order ids of the lines (a line per index). */
  public String[] getOrderIds() {
    return orderIds;
  }

  public void setOrderIds(String[] v) {
    orderIds = v;
  }

  /** {@link #SHOP}: epoch milliseconds of each line. */
  public long[] getOrderTimes() {
    return orderTimes;
  }

  public void setOrderTimes(long[] v) {
    orderTimes = v;
  }

  /** {@link #SHOP}: each line's amount in cents, {@link ShopPartial#NO_AMOUNT} if none. */
  public long[] getOrderCents() {
    return orderCents;
  }

  public void setOrderCents(long[] v) {
    orderCents = v;
  }

  /** {@link #SHOP}: categories with points (a category per index). */
  public String[] getCategories() {
    return categories;
  }

  public void setCategories(String[] v) {
    categories = v;
  }

  /** {@link #SHOP}: the points of each category. */
  public long[] getPoints() {
    return points;
  }

  public void setPoints(long[] v) {
    points = v;
  }
}
