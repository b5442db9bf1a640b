package io.kefu.simulator;

import java.util.List;
import java.util.Map;

/**
 * What the simulator injected, written beside the data under {@code truth/} so that tests can
 * measure detectors against it. Definitions the quality-inspection engine must share:
 *
 * <ul>
 *   <li>a greeting is required in the first message of every agent in a conversation; a closing in
 *       the last agent message of a conversation that ends with an agent;
 *   <li>a slow reply is an agent message more than {@code violations.slow_reply_seconds} after the
 *       customer message it answers, the clock starting no earlier than the leg's answer;
 *   <li>unescalated anger is an anger message to the bot not handed off within {@code
 *       violations.unescalated_anger_seconds}.
 * </ul>
 */
final class GroundTruth {
  private GroundTruth() {}

  /** One service rule an agent (or the bot, for unescalated anger) broke. */
  record Violation(
      String conversationId,
      String messageId,
      String agentId,
      String kind,
      String detail,
      long eventTime,
      String language) {}

  /**
   * One personal-data value generated for a customer, or one mention of it in a message: {@code
   * value} is canonical (a phone number as 11 digits), {@code asWritten} as it appears in the text.
   */
  record Pii(
      String customerId,
      String type,
      String value,
      String asWritten,
      String conversationId,
      String messageId) {}

  /** A customer's hidden product preferences (cluster → weight) and purchase intensity. */
  record Preference(
      String customerId,
      Map<Integer, Double> clusters,
      List<String> categories,
      double orderRate) {}

  /** A product of the simulated catalogue. */
  record Product(String productId, String category, int cluster, String price) {}

  /** An operation-log pattern an audit should flag. */
  record Suspicious(String kind, String actor, List<Long> sequences, String description) {}

  /** An event delivered later than the streaming job's default allowed lateness. */
  record LateEvent(String eventId, long eventTime, long ingestTime) {}
}
