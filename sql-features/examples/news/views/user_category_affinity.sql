-- view: user_category_affinity
-- entity: user_category
-- event_time: reacted_at
-- created_time: ingested_at
-- windows: 30d
-- owner: recsys
-- tags: affinity, reads, user
-- description: How often a user reads one section: reads and reading time in the category over
--   the last 30 days, as of each moment asked about.
SELECT
  r.user_id,
  a.category,
  count(*) AS clicks,
  sum(r.dwell_seconds) AS dwell_seconds
FROM dwh.reactions r
JOIN dwh.articles a ON a.article_id = r.article_id
GROUP BY r.user_id, a.category
