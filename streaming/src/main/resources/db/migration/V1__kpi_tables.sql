-- Serving tables of the real-time KPI job. Rows are upserted, so re-processing the same input
-- gives the same rows (ARCHITECTURE.md, stores).

CREATE TABLE kpi_rows (
  tenant           text             NOT NULL,
  window_start     timestamptz      NOT NULL,
  window_end       timestamptz      NOT NULL,
  window_size      text             NOT NULL,  -- 1m, 15m, 1h, 1d
  dimension        text             NOT NULL,  -- overall, channel, queue, agent, variant
  dimension_value  text             NOT NULL,  -- * for overall
  metric           text             NOT NULL,
  value            double precision,           -- NULL: a rate whose denominator is 0
  is_final         boolean          NOT NULL,  -- false: provisional emission of an open window
  settings_version text             NOT NULL,
  emitted_at       timestamptz      NOT NULL,
  PRIMARY KEY (tenant, window_start, window_size, dimension, dimension_value, metric)
);
CREATE INDEX kpi_rows_by_size_and_time ON kpi_rows (window_size, window_start);
CREATE INDEX kpi_rows_by_metric ON kpi_rows (metric, window_size, dimension);

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
