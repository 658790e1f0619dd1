-- view: article_popularity
-- entity: article
-- event_time: event_ts
-- ttl: 7d
-- materialize: true
-- online: true
-- owner: recsys
-- tags: popularity, reads, article
-- description: How much an article is being read right now: reads in the last hour and day,
--   and the average reading time of the last day, as of each read.
SELECT
  article_id,
  reacted_at AS event_ts,
  count(*) OVER (PARTITION BY article_id ORDER BY reacted_at RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW) AS reads_1h,
  count(*) OVER w1d AS reads_1d,
  avg(dwell_seconds) OVER w1d AS avg_dwell_seconds_1d
FROM dwh.reactions
WINDOW w1d AS (PARTITION BY article_id ORDER BY reacted_at RANGE BETWEEN INTERVAL '1' DAY PRECEDING AND CURRENT ROW)
