-- Tables that datasets of the Superset bundle read but that no kefu command writes yet. This file is
-- their contract for the writers; the bundle test creates them (empty) so that every dataset query
-- is checked against PostgreSQL. Idempotent. Pseudonyms only: nothing here holds customer PII.

-- Sealed operation-log batches (the log's batches.jsonl) and their anchors (anchors.jsonl). To be
-- written by `kefu audit anchor --jdbc`.
CREATE TABLE IF NOT EXISTS audit_batches (
  log_id       text        NOT NULL,
  batch_id     bigint      NOT NULL,
  first_seq    bigint      NOT NULL,
  last_seq     bigint      NOT NULL,
  record_count bigint      NOT NULL,
  closed_at    timestamptz NOT NULL,
  key_id       text        NOT NULL,
  root         text        NOT NULL,  -- hex Merkle root (RFC 9162)
  header_hash  text        NOT NULL,
  ledger       text,                  -- NULL until anchored
  tx_id        text,
  block        bigint,
  anchored_at  timestamptz,
  PRIMARY KEY (log_id, batch_id)
);

-- One row per verification of the log against the ledger. To be written by `kefu audit verify
-- --jdbc` and `kefu audit daily --jdbc`.
CREATE TABLE IF NOT EXISTS audit_verifications (
  verified_at   timestamptz NOT NULL,
  log_id        text        NOT NULL,
  ledger        text        NOT NULL,
  intact        boolean     NOT NULL,
  records       bigint      NOT NULL,
  batches       bigint      NOT NULL,
  first_problem text,                 -- the first bad record, as the verifier names it
  PRIMARY KEY (verified_at, log_id)
);

-- Findings of the daily audit (reports/audit-DATE.json). To be written by `kefu audit daily
-- --jdbc`, a day's rows replaced on a re-run.
CREATE TABLE IF NOT EXISTS audit_findings (
  report_date    date   NOT NULL,
  verdict        text   NOT NULL,  -- the report's verdict, e.g. PASS or REVIEW_REQUIRED
  rule           text   NOT NULL,
  severity       text   NOT NULL,  -- HIGH, MEDIUM, LOW
  actor          text   NOT NULL,
  first_sequence bigint NOT NULL,
  last_sequence  bigint NOT NULL,
  occurrences    bigint NOT NULL,
  description    text   NOT NULL,
  PRIMARY KEY (report_date, rule, actor, first_sequence)
);
