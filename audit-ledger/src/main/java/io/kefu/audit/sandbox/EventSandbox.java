package io.kefu.audit.sandbox;

import io.kefu.schemas.ConversationEvent;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the streaming job does to every event before anything else sees it: the customer id becomes
 * its pseudonym, personal data in the message text and in unknown wire fields ({@code attributes})
 * becomes placeholders, and every original goes, encrypted, to the vault consumer.
 *
 * <p>Vault rows are per conversation: the customer id once per conversation (a {@code CUSTOMER_ID}
 * row with the pseudonym and the conversation id), each distinct finding of the text once per
 * conversation. Message events rarely name the customer, so a text finding is tied to its customer
 * through the conversation's {@code CUSTOMER_ID} row; erasing a customer deletes both.
 *
 * <p>Not thread-safe (one per operator instance). It caches recent pseudonyms and the conversations
 * whose customer row it has emitted, so a customer costs one PRF per cache lifetime; after a
 * restart a row may be emitted again, which the vault's primary key absorbs.
 */
public final class EventSandbox {

  private static final int CACHE = 65_536;

  private final SandboxCrypto crypto;
  private final PiiRedactor redactor;
  private final long[] counts = new long[PiiType.values().length];
  private final Map<String, String> pseudonyms = lru();
  private final Map<String, String> linked = lru();

  public EventSandbox(SandboxCrypto crypto, PiiRedactor redactor) {
    this.crypto = crypto;
    this.redactor = redactor;
  }

  private static Map<String, String> lru() {
    return new LinkedHashMap<>(1024, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
        return size() > CACHE;
      }
    };
  }

  /**
   * Pseudonymises and redacts {@code e} in place and hands each original, encrypted, to {@code
   * vault} (null: originals are dropped). Returns whether any text was redacted.
   */
  public boolean apply(ConversationEvent e, long now, Consumer<VaultEntry> vault) {
    String pseudonym = null;
    String conversation = e.getConversationId();
    String id = e.getCustomerId();
    if (id != null) {
      pseudonym = pseudonyms.get(id);
      if (pseudonym == null) {
        pseudonym = crypto.pseudonym(id);
        pseudonyms.put(id, pseudonym);
      }
      e.setCustomerId(pseudonym);
      counts[PiiType.CUSTOMER_ID.ordinal()]++;
      if (vault != null && !pseudonym.equals(linked.get(conversation))) {
        linked.put(conversation, pseudonym);
        vault.accept(entry(PiiType.CUSTOMER_ID, pseudonym, conversation, id, e.getEventId(), now));
      }
    }
    boolean changed = false;
    String text = e.getText();
    if (text != null) {
      String redacted = redact(text, pseudonym, conversation, e.getEventId(), now, vault);
      if (redacted != text) {
        e.setText(redacted);
        changed = true;
      }
    }
    Map<String, String> attributes = e.getAttributes();
    if (attributes != null && !attributes.isEmpty()) {
      Map<String, String> copy = null;
      for (Map.Entry<String, String> a : attributes.entrySet()) {
        String v = a.getValue();
        String r =
            v == null ? null : redact(v, pseudonym, conversation, e.getEventId(), now, vault);
        if (r != v) {
          if (copy == null) {
            copy = new HashMap<>(attributes);
          }
          copy.put(a.getKey(), r);
        }
      }
      if (copy != null) {
        e.setAttributes(copy);
        changed = true;
      }
    }
    return changed;
  }

  private String redact(
      String text,
      String pseudonym,
      String conversation,
      String eventId,
      long now,
      Consumer<VaultEntry> vault) {
    List<PiiRedactor.Span> spans = redactor.find(text);
    if (spans.isEmpty()) {
      return text;
    }
    for (PiiRedactor.Span s : spans) {
      counts[s.type().ordinal()]++;
      if (vault != null) {
        vault.accept(entry(s.type(), pseudonym, conversation, s.value(), eventId, now));
      }
    }
    return PiiRedactor.replace(text, spans);
  }

  private VaultEntry entry(
      PiiType field,
      String pseudonym,
      String conversation,
      String value,
      String eventId,
      long now) {
    String token = crypto.token(field, "conversation:" + conversation, value);
    return new VaultEntry(
        token,
        pseudonym,
        conversation,
        field,
        eventId,
        crypto.aeadKeyId(),
        crypto.encrypt(field, token, value),
        now);
  }

  /** A {@code "customer_id": value} pair in raw JSON text: a string, or any other token. */
  private static final Pattern CUSTOMER_ID_FIELD =
      Pattern.compile("(\"customer_id\"\\s*:\\s*)(\"(?:[^\"\\\\]|\\\\.)*\"|[^,}\\s\\]]+)");

  /**
   * A payload the job could not read as an event (a dead letter's raw text, possibly not even
   * JSON): the value of every {@code "customer_id"} field becomes the customer's pseudonym, so a
   * malformed record keeps no raw id. A string value is pseudonymised as written (an id written
   * with JSON escapes gets another pseudonym than in the lake); a value that already is a
   * pseudonym, or {@code null}, stays. Each id replaced is put into {@code replaced} (raw →
   * pseudonym), so the caller can scrub it from error messages too.
   */
  public String pseudonymiseCustomerIds(String raw, Map<String, String> replaced) {
    if (raw == null || !raw.contains("\"customer_id\"")) {
      return raw;
    }
    Matcher m = CUSTOMER_ID_FIELD.matcher(raw);
    StringBuilder out = new StringBuilder(raw.length() + 32);
    while (m.find()) {
      String token = m.group(2);
      boolean quoted = token.length() >= 2 && token.startsWith("\"") && token.endsWith("\"");
      // an unterminated string (a line cut short) is matched as a bare token with its quote
      String id =
          quoted
              ? token.substring(1, token.length() - 1)
              : token.startsWith("\"") ? token.substring(1) : token;
      String value;
      if (id.isEmpty() || token.equals("null") || SandboxCrypto.isPseudonym(id)) {
        value = token;
      } else {
        String pseudonym = pseudonyms.get(id);
        if (pseudonym == null) {
          pseudonym = crypto.pseudonym(id);
          pseudonyms.put(id, pseudonym);
        }
        replaced.put(id, pseudonym);
        counts[PiiType.CUSTOMER_ID.ordinal()]++;
        value = "\"" + pseudonym + "\"";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * Findings so far per {@link PiiType} ordinal (for {@code CUSTOMER_ID}: events pseudonymised).
   * The caller may read and reset them.
   */
  public long[] counts() {
    return counts;
  }
}
