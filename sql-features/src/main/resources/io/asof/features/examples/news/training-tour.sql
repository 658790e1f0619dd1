-- Queries the quickstart shows over the news training set once it is built.

-- statement: labelled-rows
SELECT impression_id, user_id, article_id, shown_at, clicked,
  reads_7d, likes_30d, reads_1h AS article_reads_1h, round(ctr_7d, 3) AS ctr_7d,
  clicks_30d AS category_clicks_30d, is_premium
FROM ${catalog}.${training}.click_model
WHERE reads_7d > 0 AND ctr_7d IS NOT NULL
ORDER BY shown_at DESC, impression_id
LIMIT 6

-- statement: stale-vs-right
-- One row where a window function over the events (the value as of the reader's last read, which
-- is what count(*) OVER (PARTITION BY user_id ORDER BY reacted_at RANGE BETWEEN INTERVAL '7' DAY
-- PRECEDING AND CURRENT ROW) gives) is stale at the impression's time, beside the training set's
-- value and the reads counted straight from the warehouse.
WITH last_read AS (
  SELECT c.impression_id, c.user_id, c.shown_at, c.reads_7d, max(r.reacted_at) AS last_read_at
  FROM ${catalog}.${training}.click_model c
  JOIN ${catalog}.${schema}.reactions r
    ON r.user_id = c.user_id AND r.reacted_at <= c.shown_at AND r.ingested_at <= c.shown_at
  GROUP BY c.impression_id, c.user_id, c.shown_at, c.reads_7d
),
compared AS (
  SELECT
    l.impression_id,
    l.user_id,
    l.shown_at,
    l.last_read_at,
    (SELECT count(*)
     FROM ${catalog}.${schema}.reactions r
     WHERE r.user_id = l.user_id
       AND r.reacted_at BETWEEN l.last_read_at - INTERVAL '7' DAY AND l.last_read_at) AS over_last_read,
    l.reads_7d AS asof_at_shown_at,
    (SELECT count(*)
     FROM ${catalog}.${schema}.reactions r
     WHERE r.user_id = l.user_id
       AND r.reacted_at >= date_trunc('minute', l.shown_at) - INTERVAL '7' DAY
       AND r.reacted_at <= l.shown_at
       AND r.ingested_at <= l.shown_at) AS counted_at_shown_at
  FROM last_read l
)
SELECT impression_id, user_id, shown_at, last_read_at,
  over_last_read AS "reads_7d by OVER (stale)",
  asof_at_shown_at AS "reads_7d by asof",
  counted_at_shown_at AS "reads counted at shown_at"
FROM compared
WHERE over_last_read <> asof_at_shown_at
ORDER BY shown_at DESC, impression_id
LIMIT 1
