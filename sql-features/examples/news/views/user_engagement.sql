-- view: user_engagement
-- entity: user
-- event_time: reacted_at
-- created_time: ingested_at
-- windows: 7d, 30d
-- online: false
-- owner: recsys
-- tags: engagement, reads, user
-- description: How much a user reads: articles opened, time spent and likes over the last 7
--   and 30 days, as of each moment asked about. A read counts once it has landed in the
--   warehouse.
SELECT
  user_id,
  count(*) AS "reads",
  sum(dwell_seconds) AS dwell_seconds,
  count_if(liked) AS likes
FROM dwh.reactions
GROUP BY user_id
