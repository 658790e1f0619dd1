-- view: user_engagement
-- entity: user
-- event_time: event_ts
-- created_time: ingested_at
-- ttl: 30d
-- materialize: true
-- online: true
-- owner: recsys
-- tags: engagement, reads, user
-- description: How much a user reads: articles opened, time spent and likes over the last 7
--   and 30 days, as of each read. A read counts once it has landed in the warehouse.
SELECT
  user_id,
  reacted_at AS event_ts,
  ingested_at,
  count(*) OVER w7 AS reads_7d,
  sum(dwell_seconds) OVER w7 AS dwell_seconds_7d,
  count(*) OVER w30 AS reads_30d,
  count_if(liked) OVER w30 AS likes_30d
FROM dwh.reactions
WINDOW
  w7 AS (PARTITION BY user_id ORDER BY reacted_at RANGE BETWEEN INTERVAL '7' DAY PRECEDING AND CURRENT ROW),
  w30 AS (PARTITION BY user_id ORDER BY reacted_at RANGE BETWEEN INTERVAL '30' DAY PRECEDING AND CURRENT ROW)
