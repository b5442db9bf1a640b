package io.kefu.core.qa;

import io.kefu.schemas.Channel;
import io.kefu.schemas.QaRuleKind;
import io.kefu.schemas.Role;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One rule of a {@link QaRuleSet}, as parsed from the rule file. Empty {@code roles}, {@code
 * channels} or {@code queues} mean every role, channel or queue. {@code phrases} maps a language
 * (or {@code "*"} for a flat list) to its phrases; every phrase applies to every message whatever
 * its language, the grouping only keeps the file readable. {@code seconds} and {@code threshold}
 * are NaN for kinds that take none; {@code position} is null except for required phrases.
 */
public record QaRule(
    String id,
    QaRuleKind kind,
    String description,
    Set<Role> roles,
    Set<Channel> channels,
    Set<String> queues,
    double penalty,
    Map<String, List<String>> phrases,
    List<QaRegex> regexes,
    List<String> exceptionPhrases,
    List<QaRegex> exceptionRegexes,
    Position position,
    double seconds,
    double threshold) {

  /** Where a required phrase must appear. */
  public enum Position {
    /** In the first message of every speaker in scope (every agent of the conversation). */
    FIRST,
    /** In the last message in scope of a conversation that closed with that speaker serving. */
    LAST
  }

  public QaRule {
    roles = Set.copyOf(roles);
    channels = Set.copyOf(channels);
    queues = Set.copyOf(queues);
    phrases = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(phrases));
    regexes = List.copyOf(regexes);
    exceptionPhrases = List.copyOf(exceptionPhrases);
    exceptionRegexes = List.copyOf(exceptionRegexes);
  }

  /** Whether a message by {@code role} on {@code channel} in {@code queue} is in scope. */
  public boolean applies(Role role, Channel channel, String queue) {
    return (roles.isEmpty() || roles.contains(role))
        && (channels.isEmpty() || channels.contains(channel))
        && (queues.isEmpty() || queues.contains(queue));
  }

  /** Every phrase of every language, in file order. */
  public List<String> allPhrases() {
    return phrases.values().stream().flatMap(List::stream).toList();
  }

  /** Whether the rule is decided by phrases and regexes over a message's text. */
  public boolean matchesText() {
    return !phrases.isEmpty() || !regexes.isEmpty();
  }
}
