package io.kefu.batch.profiles;

import java.io.Serializable;

/**
 * The narrow, typed projection of an order line or a browsing event before the snapshot that a
 * customer's {@link ShopPartial} folds: an order line has its order id, time, amount in cents
 * (null: no quantity or price) and category; a browsing event its category and points. {@link
 * PartitionFolds} fills one instance from each of a partition's rows in turn.
 */
public final class ShopEvent implements Serializable {
  private static final long serialVersionUID = 1L;

  private String tenant;
  private String customer;
  private boolean line;
  private String orderId;
  private long time;
  private Long cents;
  private String category;
  private long points;

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

  /** An order line (else a browsing event). */
  public boolean isLine() {
    return line;
  }

  public void setLine(boolean v) {
    line = v;
  }

  public String getOrderId() {
    return orderId;
  }

  public void setOrderId(String v) {
    orderId = v;
  }

  /** Epoch milliseconds of an order line. */
  public long getTime() {
    return time;
  }

  public void setTime(long v) {
    time = v;
  }

  public Long getCents() {
    return cents;
  }

  public void setCents(Long v) {
    cents = v;
  }

  public String getCategory() {
    return category;
  }

  public void setCategory(String v) {
    category = v;
  }

  /** A browsing event's points toward its category. */
  public long getPoints() {
    return points;
  }

  public void setPoints(long v) {
    points = v;
  }
}
