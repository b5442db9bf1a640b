-- An independent reference for the KPI job, written from ../shared/KPIS.md (not from the Java
-- code): every fact and metric recomputed from a raw events table with plain SQL.
-- Input: raw_events(seq, event_id, conversation_id, event_type, event_time, tenant, channel,
-- queue, variant, entry, role, agent_id, tier, target_queue, resolver_role, sentiment, anger,
-- csat, nps), seq being the order in which events arrived.
-- Output: table oracle_facts, one row per fact, aggregated by the test with oracle_metrics.sql.

-- Events of a conversation in time order (ties: arrival order).
CREATE TEMP VIEW ev AS
SELECT e.*, row_number() OVER (PARTITION BY conversation_id ORDER BY event_time, seq) AS ord
FROM raw_events e;

-- A conversation: where it started (first CONVERSATION_STARTED) and when it closed (first CLOSED).
CREATE TEMP TABLE conv AS
SELECT s.conversation_id, s.tenant, s.event_time AS started_at, s.channel, s.queue, s.variant,
       s.entry, c.closed_at, c.close_ord
FROM (SELECT DISTINCT ON (conversation_id) * FROM ev
      WHERE event_type = 'CONVERSATION_STARTED' ORDER BY conversation_id, ord) s
LEFT JOIN (SELECT DISTINCT ON (conversation_id) conversation_id, event_time AS closed_at,
                  ord AS close_ord
           FROM ev WHERE event_type = 'CLOSED' ORDER BY conversation_id, ord) c
  USING (conversation_id);

CREATE TEMP TABLE evx AS SELECT * FROM ev;
CREATE INDEX ON evx (conversation_id, ord);

-- Queue legs: a leg starts at HANDOFF_REQUESTED or TRANSFERRED and ends at the next
-- AGENT_ASSIGNED (answered), ABANDONED (abandoned), leg start or close (flow-out).
CREATE TEMP TABLE legs AS
SELECT l.conversation_id, l.event_id AS leg_id, l.event_time AS leg_start, l.ord AS start_ord,
       COALESCE(CASE WHEN l.event_type = 'TRANSFERRED' THEN l.target_queue ELSE l.queue END,
                c.queue) AS leg_queue,
       nx.event_type AS end_type, nx.event_time AS end_time, nx.ord AS end_ord,
       nx.agent_id AS end_agent
FROM evx l
JOIN conv c USING (conversation_id)
CROSS JOIN LATERAL (
  SELECT n.event_type, n.event_time, n.ord, n.agent_id
  FROM evx n
  WHERE n.conversation_id = l.conversation_id AND n.ord > l.ord
    AND (n.event_type IN ('HANDOFF_REQUESTED', 'TRANSFERRED', 'AGENT_ASSIGNED', 'ABANDONED')
         OR (n.event_type = 'CLOSED' AND n.ord = c.close_ord))
  ORDER BY n.ord LIMIT 1) nx
WHERE l.event_type IN ('HANDOFF_REQUESTED', 'TRANSFERRED');

-- Sentiment change per conversation: last quarter minus first quarter of the scored customer
-- messages up to close (fewer than 4: last minus first).
CREATE TEMP TABLE sentiment_change AS
WITH sm AS (
  SELECT e.conversation_id, e.sentiment,
         row_number() OVER (PARTITION BY e.conversation_id ORDER BY e.ord) AS rn,
         count(*) OVER (PARTITION BY e.conversation_id) AS n
  FROM evx e JOIN conv c USING (conversation_id)
  WHERE e.event_type = 'MESSAGE' AND e.role = 'CUSTOMER' AND e.sentiment IS NOT NULL
    AND e.event_time <= c.closed_at)
SELECT conversation_id,
       CASE WHEN max(n) < 4
            THEN max(sentiment) FILTER (WHERE rn = n) - max(sentiment) FILTER (WHERE rn = 1)
            ELSE avg(sentiment) FILTER (WHERE rn > n - n / 4)
                 - avg(sentiment) FILTER (WHERE rn <= n / 4) END AS change
FROM sm GROUP BY conversation_id;

CREATE TEMP TABLE oracle_facts (
  kind text, t timestamptz, tenant text, channel text, queue text, variant text, agent text,
  outcome text, wait double precision,
  bot_entry boolean, handed_off boolean, reached_expert boolean, resolved boolean,
  contained boolean, ttr double precision, frt double precision, aht double precision,
  sentiment_change double precision,
  csat int, nps int, sentiment double precision, anger double precision,
  first_response double precision,
  qa_score double precision, qa_forbidden_phrase int, qa_required_phrase int, qa_unkept_promise int, qa_jargon int, qa_hidden_process int, qa_slow_reply int, qa_unescalated_anger int, qa_sensitive_data int);

-- legs, attributed at their end
INSERT INTO oracle_facts (kind, t, tenant, channel, queue, variant, agent, outcome, wait)
SELECT 'LEG', g.end_time, c.tenant, c.channel, g.leg_queue, c.variant,
       CASE WHEN g.end_type = 'AGENT_ASSIGNED' THEN g.end_agent END,
       CASE g.end_type WHEN 'AGENT_ASSIGNED' THEN 'ANSWERED' WHEN 'ABANDONED' THEN 'ABANDONED'
                       ELSE 'FLOW_OUT' END,
       extract(epoch FROM g.end_time - g.leg_start)::double precision
FROM legs g JOIN conv c USING (conversation_id);

-- conversations, attributed at CLOSED
INSERT INTO oracle_facts (kind, t, tenant, channel, queue, variant, agent, bot_entry, handed_off,
                          reached_expert, resolved, contained, ttr, frt, aht, sentiment_change)
SELECT 'CONVERSATION', c.closed_at, c.tenant, c.channel, c.queue, c.variant,
       (SELECT a.agent_id FROM evx a WHERE a.conversation_id = c.conversation_id
          AND a.event_type = 'AGENT_ASSIGNED' AND a.event_time <= c.closed_at
        ORDER BY a.ord DESC LIMIT 1),
       c.entry = 'BOT',
       x.handed_off, x.reached_expert, x.first_resolved IS NOT NULL,
       c.entry = 'BOT' AND NOT x.handed_off AND x.bot_resolved,
       extract(epoch FROM x.first_resolved - c.started_at)::double precision,
       extract(epoch FROM x.first_reply - x.first_customer)::double precision,
       extract(epoch FROM c.closed_at - x.first_assigned)::double precision,
       s.change
FROM conv c
LEFT JOIN sentiment_change s USING (conversation_id)
CROSS JOIN LATERAL (
  SELECT
    EXISTS (SELECT 1 FROM evx h WHERE h.conversation_id = c.conversation_id
              AND h.event_type IN ('HANDOFF_REQUESTED', 'TRANSFERRED')
              AND h.event_time <= c.closed_at) AS handed_off,
    EXISTS (SELECT 1 FROM evx a WHERE a.conversation_id = c.conversation_id
              AND a.event_type = 'AGENT_ASSIGNED' AND a.tier = 'EXPERT'
              AND a.event_time <= c.closed_at) AS reached_expert,
    (SELECT min(r.event_time) FROM evx r WHERE r.conversation_id = c.conversation_id
       AND r.event_type = 'RESOLVED' AND r.event_time <= c.closed_at) AS first_resolved,
    EXISTS (SELECT 1 FROM evx r WHERE r.conversation_id = c.conversation_id
              AND r.event_type = 'RESOLVED' AND r.resolver_role = 'BOT'
              AND r.event_time <= c.closed_at) AS bot_resolved,
    (SELECT min(a.event_time) FROM evx a WHERE a.conversation_id = c.conversation_id
       AND a.event_type = 'AGENT_ASSIGNED' AND a.event_time <= c.closed_at) AS first_assigned,
    fc.event_time AS first_customer,
    (SELECT m.event_time FROM evx m WHERE m.conversation_id = c.conversation_id
       AND m.event_type = 'MESSAGE' AND m.role IN ('BOT', 'AGENT') AND m.ord > fc.ord
       AND m.event_time <= c.closed_at ORDER BY m.ord LIMIT 1) AS first_reply
  FROM (SELECT 1) one
  LEFT JOIN LATERAL (SELECT m.event_time, m.ord FROM evx m
                     WHERE m.conversation_id = c.conversation_id AND m.event_type = 'MESSAGE'
                       AND m.role = 'CUSTOMER' AND m.event_time <= c.closed_at
                     ORDER BY m.ord LIMIT 1) fc ON true) x
WHERE c.closed_at IS NOT NULL;

-- surveys, at SURVEY_SUBMITTED; the agent is the last one assigned before
INSERT INTO oracle_facts (kind, t, tenant, channel, queue, variant, agent, csat, nps)
SELECT 'SURVEY', e.event_time, c.tenant, c.channel, c.queue, c.variant,
       (SELECT a.agent_id FROM evx a WHERE a.conversation_id = e.conversation_id
          AND a.event_type = 'AGENT_ASSIGNED' AND a.ord < e.ord ORDER BY a.ord DESC LIMIT 1),
       e.csat, e.nps
FROM evx e JOIN conv c USING (conversation_id)
WHERE e.event_type = 'SURVEY_SUBMITTED';

-- customer messages, at their time
INSERT INTO oracle_facts (kind, t, tenant, channel, queue, variant, sentiment, anger)
SELECT 'MESSAGE', e.event_time, c.tenant, c.channel, c.queue, c.variant, e.sentiment, e.anger
FROM evx e JOIN conv c USING (conversation_id)
WHERE e.event_type = 'MESSAGE' AND e.role = 'CUSTOMER';

-- human first response: the first AGENT message after a leg's answer (before the next leg)
INSERT INTO oracle_facts (kind, t, tenant, channel, queue, variant, agent, first_response)
SELECT 'FIRST_RESPONSE', m.event_time, c.tenant, c.channel, g.leg_queue, c.variant, g.end_agent,
       extract(epoch FROM m.event_time - g.leg_start)::double precision
FROM legs g
JOIN conv c USING (conversation_id)
CROSS JOIN LATERAL (
  SELECT r.event_time FROM evx r
  WHERE r.conversation_id = g.conversation_id AND r.event_type = 'MESSAGE' AND r.role = 'AGENT'
    AND r.ord > g.end_ord
    AND NOT EXISTS (SELECT 1 FROM evx n WHERE n.conversation_id = g.conversation_id
                      AND n.event_type IN ('HANDOFF_REQUESTED', 'TRANSFERRED')
                      AND n.ord > g.end_ord AND n.ord < r.ord)
  ORDER BY r.ord LIMIT 1) m
WHERE g.end_type = 'AGENT_ASSIGNED';

-- quality inspection (KPIS.md, QA): which conversation breaks which rule is the QA engine's job
-- (checked against the simulator's injected truth in core); the test stores the engine's result
-- per conversation (agent_id NULL) and per agent in oracle_qa, and here it is placed in windows
-- and dimensions independently: the conversation's score at its close for overall, channel,
-- queue and variant, each agent's own score for the agent.
INSERT INTO oracle_facts (kind, t, tenant, channel, queue, variant, agent, qa_score, qa_forbidden_phrase, qa_required_phrase, qa_unkept_promise, qa_jargon, qa_hidden_process, qa_slow_reply, qa_unescalated_anger, qa_sensitive_data)
SELECT CASE WHEN q.agent_id IS NULL THEN 'QA' ELSE 'AGENT_QA' END, q.t, c.tenant, c.channel,
       c.queue, c.variant, q.agent_id, q.score, q.forbidden_phrase, q.required_phrase, q.unkept_promise, q.jargon, q.hidden_process, q.slow_reply, q.unescalated_anger, q.sensitive_data
FROM oracle_qa q JOIN conv c USING (conversation_id);
