-- Quality inspection (issue 4): QA metrics in the KPI windows, and every violation with its
-- evidence. A conversation's QA counts for overall, channel, queue and variant rows; each agent's
-- own share (penalties of their violations only) for the agent rows.
ALTER TABLE kpi_windows
  ADD COLUMN qa_inspected                     double precision,
  ADD COLUMN qa_score_mean                    double precision,
  ADD COLUMN qa_violations                    double precision,
  ADD COLUMN qa_violations_forbidden_phrase   double precision,
  ADD COLUMN qa_violations_required_phrase    double precision,
  ADD COLUMN qa_violations_unkept_promise     double precision,
  ADD COLUMN qa_violations_jargon             double precision,
  ADD COLUMN qa_violations_hidden_process     double precision,
  ADD COLUMN qa_violations_slow_reply         double precision,
  ADD COLUMN qa_violations_unescalated_anger  double precision,
  ADD COLUMN qa_violations_sensitive_data     double precision;

DROP VIEW kpi_rows;
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
    ('anger_count', w.anger_count),
    ('qa_inspected', w.qa_inspected),
    ('qa_score_mean', w.qa_score_mean),
    ('qa_violations', w.qa_violations),
    ('qa_violations_forbidden_phrase', w.qa_violations_forbidden_phrase),
    ('qa_violations_required_phrase', w.qa_violations_required_phrase),
    ('qa_violations_unkept_promise', w.qa_violations_unkept_promise),
    ('qa_violations_jargon', w.qa_violations_jargon),
    ('qa_violations_hidden_process', w.qa_violations_hidden_process),
    ('qa_violations_slow_reply', w.qa_violations_slow_reply),
    ('qa_violations_unescalated_anger', w.qa_violations_unescalated_anger),
    ('qa_violations_sensitive_data', w.qa_violations_sensitive_data)) AS m(metric, value)
WHERE w.dimension <> 'agent' OR m.metric IN ('answered', 'closed', 'resolved', 'resolution_rate', 'aht_mean_seconds', 'human_frt_mean_seconds', 'surveys', 'csat_mean', 'csat_top2', 'nps',
  'qa_inspected', 'qa_score_mean', 'qa_violations', 'qa_violations_forbidden_phrase', 'qa_violations_required_phrase', 'qa_violations_unkept_promise', 'qa_violations_jargon', 'qa_violations_hidden_process', 'qa_violations_slow_reply', 'qa_violations_unescalated_anger', 'qa_violations_sensitive_data');

-- One row per broken rule: conversation, message, agent, rule, the rule file's version and the
-- matched text (never customer PII: sensitive-data hits keep the masked number).
CREATE TABLE qa_violations (
  violation_id    text PRIMARY KEY,  -- conversation:rule:message
  tenant          text        NOT NULL,
  conversation_id text        NOT NULL,
  message_id      text,
  agent_id        text,
  channel         text,
  queue           text,
  rule_id         text        NOT NULL,
  rule_kind       text        NOT NULL,
  rule_version    text        NOT NULL,
  matched_text    text,
  penalty         double precision NOT NULL,
  event_time      timestamptz NOT NULL,
  stored_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX qa_violations_by_time ON qa_violations (event_time);
CREATE INDEX qa_violations_by_agent ON qa_violations (agent_id, event_time);

-- Violations per day, rule and agent: the "top violated rules" of the quality dashboard.
CREATE VIEW qa_violations_by_rule AS
SELECT tenant, (event_time AT TIME ZONE 'Asia/Shanghai')::date AS day, rule_id, rule_kind,
       agent_id, queue, count(*) AS violations, sum(penalty) AS penalty
FROM qa_violations
GROUP BY tenant, day, rule_id, rule_kind, agent_id, queue;
