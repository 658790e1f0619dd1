-- view: article_trending
-- entity: article
-- event_time: reacted_at
-- windows: 5m, 1h
-- online: true
-- owner: feed
-- tags: trending, reactions, article
-- description: Reads and likes of an article over the last 5 minutes and the last hour, counted
--   from the reactions pushed to reaction_events as each push arrives.
SELECT
  article_id,
  count(*) AS "reads",
  count_if(liked) AS likes,
  avg(dwell_seconds) AS avg_dwell_seconds
FROM features.reaction_events
GROUP BY article_id
