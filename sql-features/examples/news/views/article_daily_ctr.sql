-- view: article_daily_ctr
-- entity: article
-- event_time: event_ts
-- ttl: 14d
-- materialize: true
-- owner: analytics
-- tags: ctr, clicks, article
-- description: Click-through rate of an article per finished day and over the last 7 days;
--   known at midnight after the day ends, so a click never counts before its day is over.
-- expect: unique_keys
-- expect: not_null(impressions_1d, ctr_1d)
-- expect: range(ctr_1d, 0, 1)
-- expect: range(ctr_7d, 0, 1)
WITH daily AS (
  SELECT
    article_id,
    date_trunc('day', shown_at) AS shown_day,
    count(*) AS impressions,
    count_if(clicked) AS clicks
  FROM dwh.impressions
  GROUP BY article_id, date_trunc('day', shown_at)
)
SELECT
  article_id,
  shown_day + INTERVAL '1' DAY AS event_ts,
  impressions AS impressions_1d,
  CAST(clicks AS double) / impressions AS ctr_1d,
  CAST(sum(clicks) OVER w7 AS double) / sum(impressions) OVER w7 AS ctr_7d
FROM daily
WINDOW w7 AS (PARTITION BY article_id ORDER BY shown_day RANGE BETWEEN INTERVAL '6' DAY PRECEDING AND CURRENT ROW)
