CREATE OR REPLACE VIEW iceberg.features.article_daily_ctr
COMMENT 'Click-through rate of an article per finished day and over the last 7 days; known at midnight after the day ends, so a click never counts before its day is over. [entity article; owner analytics; ttl 14d; materialized; v1]'
AS
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
WINDOW w7 AS (PARTITION BY article_id ORDER BY shown_day RANGE BETWEEN INTERVAL '6' DAY PRECEDING AND CURRENT ROW);

COMMENT ON COLUMN iceberg.features.article_daily_ctr.article_id IS 'Key of entity article.';

COMMENT ON COLUMN iceberg.features.article_daily_ctr.event_ts IS 'Event time: when this row''s values became true.';

COMMENT ON COLUMN iceberg.features.article_daily_ctr.impressions_1d IS 'Feature article_daily_ctr:impressions_1d (v1), owned by analytics.';

COMMENT ON COLUMN iceberg.features.article_daily_ctr.ctr_1d IS 'Feature article_daily_ctr:ctr_1d (v1), owned by analytics.';

COMMENT ON COLUMN iceberg.features.article_daily_ctr.ctr_7d IS 'Feature article_daily_ctr:ctr_7d (v1), owned by analytics.';
