-- view: article_popularity
-- entity: article
-- event_time: reacted_at
-- created_time: ingested_at
-- windows: 1h, 1d
-- online: false
-- owner: recsys
-- tags: popularity, reads, article
-- description: How much an article is being read right now: reads in the last hour and day,
--   and the average reading time over each, as of each moment asked about.
SELECT
  article_id,
  count(*) AS "reads",
  avg(dwell_seconds) AS avg_dwell_seconds
FROM dwh.reactions
GROUP BY article_id
