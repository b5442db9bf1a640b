package io.kefu.batch.profiles;

import java.io.Serializable;
import java.util.List;

/**
 * A customer's figures out of {@link CustomerFold}, before the population-wide RFM scores and the
 * churn rules ({@link ProfileJob#build}). The contact figures are null for a customer without a
 * contact in the 90 days, the order figures for one without an order, top categories for one
 * without any category points. A JavaBean for Spark's bean encoder.
 */
public final class CustomerAggregate implements Serializable {
  private static final long serialVersionUID = 1L;
  private String tenant;
  private String customer;
  private Integer contacts30d;
  private Integer contacts90d;
  private List<String> channelsUsed;
  private String preferredChannel;
  private Long lastContact;
  private Double csatMean;
  private Integer csatLast;
  private Double sentimentMean;
  private Double sentimentTrend;
  private Integer complaints;
  private Integer repeatContacts7d;
  private Double resolutionRate;
  private Integer unresolved;
  private String preferredLanguage;
  private Integer rfmRecencyDays;
  private Integer rfmFrequency;
  private Long rfmMonetaryCents;
  private Integer orders90d;
  private Integer ordersPrev90d;
  private List<String> topCategories;

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

  /** Conversations started in the 30 days before the snapshot; null: no contact in 90 days. */
  public Integer getContacts30d() {
    return contacts30d;
  }

  public void setContacts30d(Integer v) {
    contacts30d = v;
  }

  public Integer getContacts90d() {
    return contacts90d;
  }

  public void setContacts90d(Integer v) {
    contacts90d = v;
  }

  public List<String> getChannelsUsed() {
    return channelsUsed;
  }

  public void setChannelsUsed(List<String> v) {
    channelsUsed = v;
  }

  public String getPreferredChannel() {
    return preferredChannel;
  }

  public void setPreferredChannel(String v) {
    preferredChannel = v;
  }

  /** Epoch milliseconds of the latest start. */
  public Long getLastContact() {
    return lastContact;
  }

  public void setLastContact(Long v) {
    lastContact = v;
  }

  public Double getCsatMean() {
    return csatMean;
  }

  public void setCsatMean(Double v) {
    csatMean = v;
  }

  public Integer getCsatLast() {
    return csatLast;
  }

  public void setCsatLast(Integer v) {
    csatLast = v;
  }

  public Double getSentimentMean() {
    return sentimentMean;
  }

  public void setSentimentMean(Double v) {
    sentimentMean = v;
  }

  public Double getSentimentTrend() {
    return sentimentTrend;
  }

  public void setSentimentTrend(Double v) {
    sentimentTrend = v;
  }

  public Integer getComplaints() {
    return complaints;
  }

  public void setComplaints(Integer v) {
    complaints = v;
  }

  public Integer getRepeatContacts7d() {
    return repeatContacts7d;
  }

  public void setRepeatContacts7d(Integer v) {
    repeatContacts7d = v;
  }

  public Double getResolutionRate() {
    return resolutionRate;
  }

  public void setResolutionRate(Double v) {
    resolutionRate = v;
  }

  public Integer getUnresolved() {
    return unresolved;
  }

  public void setUnresolved(Integer v) {
    unresolved = v;
  }

  public String getPreferredLanguage() {
    return preferredLanguage;
  }

  public void setPreferredLanguage(String v) {
    preferredLanguage = v;
  }

  /** Days from the last order's date to the snapshot date; null: no order. */
  public Integer getRfmRecencyDays() {
    return rfmRecencyDays;
  }

  public void setRfmRecencyDays(Integer v) {
    rfmRecencyDays = v;
  }

  public Integer getRfmFrequency() {
    return rfmFrequency;
  }

  public void setRfmFrequency(Integer v) {
    rfmFrequency = v;
  }

  /** Σ quantity × unit price in cents; null: no order, or no line with both. */
  public Long getRfmMonetaryCents() {
    return rfmMonetaryCents;
  }

  public void setRfmMonetaryCents(Long v) {
    rfmMonetaryCents = v;
  }

  public Integer getOrders90d() {
    return orders90d;
  }

  public void setOrders90d(Integer v) {
    orders90d = v;
  }

  public Integer getOrdersPrev90d() {
    return ordersPrev90d;
  }

  public void setOrdersPrev90d(Integer v) {
    ordersPrev90d = v;
  }

  /** Null: no order line or browsing event with a category. */
  public List<String> getTopCategories() {
    return topCategories;
  }

  public void setTopCategories(List<String> v) {
    topCategories = v;
  }
}
