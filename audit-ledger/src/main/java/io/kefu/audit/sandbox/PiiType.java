package io.kefu.audit.sandbox;

/**
 * The kinds of personal data the sandbox keeps out of analytics. Every kind but {@link
 * #CUSTOMER_ID} is found in free text and replaced by its placeholder; the customer id is replaced
 * by a pseudonym instead. The name of a constant is the vault's {@code field} column.
 */
public enum PiiType {
  CUSTOMER_ID(null),
  PHONE("[PHONE]"),
  EMAIL("[EMAIL]"),
  ID("[ID]"),
  CARD("[CARD]"),
  NAME("[NAME]");

  private final String placeholder;

  PiiType(String placeholder) {
    this.placeholder = placeholder;
  }

  /** What replaces a value of this kind in text; null for the customer id. */
  public String placeholder() {
    return placeholder;
  }

  /** The kinds found in free text, in a fixed order (metrics, summaries). */
  public static final PiiType[] IN_TEXT = {PHONE, EMAIL, ID, CARD, NAME};
}
