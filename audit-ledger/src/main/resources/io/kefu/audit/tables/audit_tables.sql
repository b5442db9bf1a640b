-- The audit ledger's tables for the Superset "Audit" dashboard (io.kefu.audit.tables.AuditTables).
-- Written by `kefu audit anchor|verify|daily --jdbc URL`; a mirror for reading, never the evidence:
-- `kefu audit verify` always re-hashes the log and asks the ledger. Idempotent. Headers, counts and
-- actor ids only: nothing here holds customer PII.

-- Sealed operation-log batches (the log's batches.jsonl) and their anchors on the ledger, one row
-- per log and batch, updated in place on every run.
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

-- One row per verification of the log against the ledger.
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

-- Findings of the daily audit (reports/audit-DATE.json), one log's day replaced on a re-run.
CREATE TABLE IF NOT EXISTS audit_findings (
  log_id         text   NOT NULL,  -- the audited log (log.json), so two logs keep their own rows
  report_date    date   NOT NULL,
  verdict        text   NOT NULL,  -- the report's verdict, e.g. PASS or REVIEW_REQUIRED
  rule           text   NOT NULL,
  severity       text   NOT NULL,  -- HIGH, MEDIUM, LOW
  actor          text   NOT NULL,
  first_sequence bigint NOT NULL,
  last_sequence  bigint NOT NULL,
  occurrences    bigint NOT NULL,
  description    text   NOT NULL,
  PRIMARY KEY (log_id, report_date, rule, actor, first_sequence)
);

-- Tables made before findings had a log id: add it (old rows get '') and widen the key.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = 'audit_findings'
                   AND column_name = 'log_id') THEN
    ALTER TABLE audit_findings ADD COLUMN log_id text NOT NULL DEFAULT '';
    ALTER TABLE audit_findings DROP CONSTRAINT audit_findings_pkey;
    ALTER TABLE audit_findings ADD PRIMARY KEY (log_id, report_date, rule, actor, first_sequence);
  END IF;
END $$;
