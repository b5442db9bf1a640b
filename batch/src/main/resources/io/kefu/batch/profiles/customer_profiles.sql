-- customer_profiles: one row per customer pseudonym, tenant and snapshot date, written by
-- `kefu batch profiles --jdbc URL` (the job runs this file itself: it is idempotent). Routing
-- reads the newest snapshot of one customer:
--   SELECT * FROM customer_profiles WHERE tenant = ? AND customer_pseudonym = ?
--   ORDER BY snapshot_date DESC LIMIT 1
-- which the primary key serves (a backward scan of its index); customer_profiles_pseudonym
-- serves the same look-up across tenants.
CREATE TABLE IF NOT EXISTS customer_profiles (
  tenant             TEXT             NOT NULL,
  customer_pseudonym TEXT             NOT NULL,
  snapshot_date      DATE             NOT NULL,
  contacts_30d       INTEGER          NOT NULL,
  contacts_90d       INTEGER          NOT NULL,
  channels_used      TEXT[]           NOT NULL,
  preferred_channel  TEXT,
  last_contact       TIMESTAMPTZ,
  csat_mean          DOUBLE PRECISION,
  csat_last          INTEGER,
  sentiment_mean     DOUBLE PRECISION,
  sentiment_trend    DOUBLE PRECISION,
  complaints         INTEGER          NOT NULL,
  repeat_contacts_7d INTEGER          NOT NULL,
  resolution_rate    DOUBLE PRECISION,
  rfm_recency_days   INTEGER,
  rfm_frequency      INTEGER          NOT NULL,
  rfm_monetary       NUMERIC(14, 2)   NOT NULL,
  rfm_segment        TEXT,
  top_categories     TEXT[]           NOT NULL,
  value_tier         TEXT,
  churn_risk         DOUBLE PRECISION,
  churn_reasons      TEXT[]           NOT NULL,
  preferred_language TEXT,
  -- RFM scores 1..5 (NULL: no order), as CustomerProfile.avsc documents them
  rfm_r_score        INTEGER,
  rfm_f_score        INTEGER,
  rfm_m_score        INTEGER,
  -- conversations of the 90 days closed without a RESOLVED (NULL only in rows of older versions)
  unresolved_contacts INTEGER,
  -- orders in the last 90 days minus the 90 before (NULL: no order)
  order_trend        INTEGER,
  -- the run that wrote the row: rows of a re-run snapshot that the run did not write are deleted
  loaded_at          TIMESTAMPTZ      NOT NULL,
  PRIMARY KEY (tenant, customer_pseudonym, snapshot_date)
);
-- A table created by an older version gets the columns added since (NULL in its old rows).
ALTER TABLE customer_profiles
  ADD COLUMN IF NOT EXISTS rfm_r_score INTEGER,
  ADD COLUMN IF NOT EXISTS rfm_f_score INTEGER,
  ADD COLUMN IF NOT EXISTS rfm_m_score INTEGER,
  ADD COLUMN IF NOT EXISTS unresolved_contacts INTEGER,
  ADD COLUMN IF NOT EXISTS order_trend INTEGER;
CREATE INDEX IF NOT EXISTS customer_profiles_pseudonym
  ON customer_profiles (customer_pseudonym, snapshot_date DESC);
CREATE INDEX IF NOT EXISTS customer_profiles_snapshot
  ON customer_profiles (snapshot_date);
