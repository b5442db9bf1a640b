-- Data sandbox (issue 7): the vault. Originals found at ingest (customer ids; phones, e-mails,
-- resident IDs, cards and names in text), encrypted with the sandbox's Tink AEAD key under
-- associated data lp('vault') || lp(field) || lp(token). Nothing else in this database holds them.
-- token: what an analyst quotes to ask for a reveal (kefu sandbox tokens / reveal).
-- pseudonym: set on CUSTOMER_ID rows (and text rows of events that name the customer); text rows
-- are tied to their customer through the conversation's CUSTOMER_ID row.
CREATE TABLE IF NOT EXISTS vault (
  token           text PRIMARY KEY,
  pseudonym       text,
  conversation_id text,
  field           text NOT NULL,
  event_id        text,
  key_id          bigint NOT NULL,
  ciphertext      bytea NOT NULL,
  created_at      timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS vault_pseudonym ON vault (pseudonym);
CREATE INDEX IF NOT EXISTS vault_conversation ON vault (conversation_id);
