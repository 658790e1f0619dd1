-- view: article_ctr
-- entity: article
-- event_time: shown_at
-- created_time: outcome_known_at
-- windows: 1d, 7d
-- owner: analytics
-- tags: ctr, clicks, article
-- description: Click-through rate of an article over the last day and 7 days. An impression
--   counts once its outcome is known, 30 minutes after it was shown (a later click is not
--   attributed to it), so an impression's own click never enters the CTR it is joined with.
WITH shown AS (
  SELECT
    article_id,
    shown_at,
    shown_at + INTERVAL '30' MINUTE AS outcome_known_at,
    clicked
  FROM dwh.impressions
)
SELECT
  article_id,
  count(*) AS impressions,
  count_if(clicked) AS clicks,
  count_if(clicked) * 1e0 / nullif(count(*), 0) AS ctr
FROM shown
GROUP BY article_id
