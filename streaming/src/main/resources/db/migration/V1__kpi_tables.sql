-- Serving tables of the real-time KPI job. Rows are upserted, so re-processing the same input
-- gives the same rows (ARCHITECTURE.md, stores).

-- One row per window and dimension value, every metric a column (NULL: a rate or mean whose
-- denominator is 0, or a metric not shown for the agent dimension).
CREATE TABLE kpi_windows (
  tenant           text        NOT NULL,
  window_start     timestamptz NOT NULL,
  window_end       timestamptz NOT NULL,
  window_size      text        NOT NULL,  -- 1m, 15m, 1h, 1d
  dimension        text        NOT NULL,  -- overall, channel, queue, agent, variant
  dimension_value  text        NOT NULL,  -- * for overall
  is_final         boolean     NOT NULL,  -- false: provisional emission of an open window
  settings_version text        NOT NULL,
  emitted_at       timestamptz NOT NULL,
  offered                  double precision,
  answered                 double precision,
  abandoned                double precision,
  short_abandoned          double precision,
  flow_out                 double precision,
  connect_rate             double precision,
  abandon_rate             double precision,
  asa_seconds              double precision,
  wait_p50_seconds         double precision,
  wait_p90_seconds         double precision,
  wait_max_seconds         double precision,
  service_level            double precision,
  closed                   double precision,
  handed_off               double precision,
  reached_expert           double precision,
  resolved                 double precision,
  resolution_rate          double precision,
  bot_containment_rate     double precision,
  transfer_rate            double precision,
  expert_rate              double precision,
  ttr_mean_seconds         double precision,
  ttr_p50_seconds          double precision,
  ttr_p90_seconds          double precision,
  frt_mean_seconds         double precision,
  aht_mean_seconds         double precision,
  human_frt_mean_seconds   double precision,
  sentiment_change_mean    double precision,
  surveys                  double precision,
  csat_mean                double precision,
  csat_top2                double precision,
  nps                      double precision,
  customer_messages        double precision,
  sentiment_mean           double precision,
  negative_share           double precision,
  anger_count              double precision,
  PRIMARY KEY (tenant, window_start, window_size, dimension, dimension_value)
);
CREATE INDEX kpi_windows_by_size_and_time ON kpi_windows (window_size, window_start);

-- The same in long format, one row per metric (the layout of `kefu kpis --out file.csv`).
CREATE VIEW kpi_rows AS
SELECT w.tenant, w.window_start, w.window_end, w.window_size, w.dimension, w.dimension_value,
       m.metric, m.value, w.is_final, w.settings_version, w.emitted_at
FROM kpi_windows w
CROSS JOIN LATERAL (VALUES
    ('offered', w.offered),
    ('answered', w.answered),
    ('abandoned', w.abandoned),
    ('short_abandoned', w.short_abandoned),
    ('flow_out', w.flow_out),
    ('connect_rate', w.connect_rate),
    ('abandon_rate', w.abandon_rate),
    ('asa_seconds', w.asa_seconds),
    ('wait_p50_seconds', w.wait_p50_seconds),
    ('wait_p90_seconds', w.wait_p90_seconds),
    ('wait_max_seconds', w.wait_max_seconds),
    ('service_level', w.service_level),
    ('closed', w.closed),
    ('handed_off', w.handed_off),
    ('reached_expert', w.reached_expert),
    ('resolved', w.resolved),
    ('resolution_rate', w.resolution_rate),
    ('bot_containment_rate', w.bot_containment_rate),
    ('transfer_rate', w.transfer_rate),
    ('expert_rate', w.expert_rate),
    ('ttr_mean_seconds', w.ttr_mean_seconds),
    ('ttr_p50_seconds', w.ttr_p50_seconds),
    ('ttr_p90_seconds', w.ttr_p90_seconds),
    ('frt_mean_seconds', w.frt_mean_seconds),
    ('aht_mean_seconds', w.aht_mean_seconds),
    ('human_frt_mean_seconds', w.human_frt_mean_seconds),
    ('sentiment_change_mean', w.sentiment_change_mean),
    ('surveys', w.surveys),
    ('csat_mean', w.csat_mean),
    ('csat_top2', w.csat_top2),
    ('nps', w.nps),
    ('customer_messages', w.customer_messages),
    ('sentiment_mean', w.sentiment_mean),
    ('negative_share', w.negative_share),
    ('anger_count', w.anger_count)) AS m(metric, value)
WHERE w.dimension <> 'agent' OR m.metric IN ('answered', 'closed', 'resolved', 'resolution_rate', 'aht_mean_seconds', 'human_frt_mean_seconds', 'surveys', 'csat_mean', 'csat_top2', 'nps');

CREATE TABLE alerts (
  alert_id           text PRIMARY KEY,
  alert_type         text NOT NULL,
  tenant             text NOT NULL,
  conversation_id    text NOT NULL,
  message_id         text,
  channel            text,
  queue              text,
  customer_pseudonym text,
  text               text,
  anger              double precision,
  sentiment          double precision,
  event_time         timestamptz NOT NULL,
  emitted_at         timestamptz NOT NULL,
  stored_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alerts_by_time ON alerts (event_time);

CREATE TABLE dead_letters (
  origin      text        NOT NULL,  -- file:line, topic/partition/offset, or duplicate:<event_id>
  problem     text        NOT NULL,
  field       text,
  message     text        NOT NULL,
  raw         text,                  -- at most 16 KiB of the payload
  raw_bytes   bigint      NOT NULL,
  ingest_time timestamptz NOT NULL,
  PRIMARY KEY (origin, problem)
);
CREATE INDEX dead_letters_by_problem ON dead_letters (problem);

CREATE TABLE late_records (
  kind            text        NOT NULL,  -- EVENT or FACT
  event_id        text        NOT NULL,  -- event id, or fact id for facts
  window_size     text        NOT NULL,  -- '' for events
  detail          text        NOT NULL,
  tenant          text,
  conversation_id text,
  event_type      text,
  event_time      timestamptz NOT NULL,
  watermark       timestamptz,
  ingest_time     timestamptz NOT NULL,
  PRIMARY KEY (kind, event_id, window_size, detail)
);
