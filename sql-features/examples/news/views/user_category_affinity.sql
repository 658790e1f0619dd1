-- view: user_category_affinity
-- entity: user_category
-- event_time: event_ts
-- ttl: 60d
-- materialize: true
-- owner: recsys
-- tags: affinity, reads, user
-- description: How often a user reads one section: reads and reading time in the category over
--   the last 30 days, as of each read.
SELECT
  r.user_id,
  a.category,
  r.reacted_at AS event_ts,
  count(*) OVER w30 AS clicks_30d,
  sum(r.dwell_seconds) OVER w30 AS dwell_seconds_30d
FROM dwh.reactions r
JOIN dwh.articles a ON a.article_id = r.article_id
WINDOW w30 AS (PARTITION BY r.user_id, a.category ORDER BY r.reacted_at RANGE BETWEEN INTERVAL '30' DAY PRECEDING AND CURRENT ROW)
