CREATE OR REPLACE VIEW iceberg.features.user_engagement
COMMENT 'How much a user reads: articles opened, time spent and likes over the last 7 and 30 days, as of each read. A read counts once it has landed in the warehouse. [entity user; owner recsys; ttl 30d; materialized; online; v1]'
AS
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
  w30 AS (PARTITION BY user_id ORDER BY reacted_at RANGE BETWEEN INTERVAL '30' DAY PRECEDING AND CURRENT ROW);

COMMENT ON COLUMN iceberg.features.user_engagement.user_id IS 'Key of entity user.';

COMMENT ON COLUMN iceberg.features.user_engagement.event_ts IS 'Event time: when this row''s values became true.';

COMMENT ON COLUMN iceberg.features.user_engagement.ingested_at IS 'Created time: when this row became known.';

COMMENT ON COLUMN iceberg.features.user_engagement.reads_7d IS 'Feature user_engagement:reads_7d (v1), owned by recsys.';

COMMENT ON COLUMN iceberg.features.user_engagement.dwell_seconds_7d IS 'Feature user_engagement:dwell_seconds_7d (v1), owned by recsys.';

COMMENT ON COLUMN iceberg.features.user_engagement.reads_30d IS 'Feature user_engagement:reads_30d (v1), owned by recsys.';

COMMENT ON COLUMN iceberg.features.user_engagement.likes_30d IS 'Feature user_engagement:likes_30d (v1), owned by recsys.';

CREATE OR REPLACE VIEW iceberg.features.asof_features
COMMENT 'Every feature Asof publishes: one row per feature column.'
AS
SELECT t.*, CAST(NULL AS timestamp(6)) AS freshness
FROM (VALUES
  ('user_engagement:reads_7d', 'user_engagement', 'reads_7d', 'bigint', 'How much a user reads: articles opened, time spent and likes over the last 7 and 30 days, as of each read. A read counts once it has landed in the warehouse.', 'recsys', 1, 'user', true, 'materialized', CAST(ARRAY['iceberg.dwh.reactions.reacted_at', 'iceberg.dwh.reactions.user_id'] AS array(varchar)), CAST(NULL AS varchar)),
  ('user_engagement:dwell_seconds_7d', 'user_engagement', 'dwell_seconds_7d', 'bigint', 'How much a user reads: articles opened, time spent and likes over the last 7 and 30 days, as of each read. A read counts once it has landed in the warehouse.', 'recsys', 1, 'user', true, 'materialized', CAST(ARRAY['iceberg.dwh.reactions.dwell_seconds', 'iceberg.dwh.reactions.reacted_at', 'iceberg.dwh.reactions.user_id'] AS array(varchar)), CAST(NULL AS varchar)),
  ('user_engagement:reads_30d', 'user_engagement', 'reads_30d', 'bigint', 'How much a user reads: articles opened, time spent and likes over the last 7 and 30 days, as of each read. A read counts once it has landed in the warehouse.', 'recsys', 1, 'user', true, 'materialized', CAST(ARRAY['iceberg.dwh.reactions.reacted_at', 'iceberg.dwh.reactions.user_id'] AS array(varchar)), CAST(NULL AS varchar)),
  ('user_engagement:likes_30d', 'user_engagement', 'likes_30d', 'bigint', 'How much a user reads: articles opened, time spent and likes over the last 7 and 30 days, as of each read. A read counts once it has landed in the warehouse.', 'recsys', 1, 'user', true, 'materialized', CAST(ARRAY['iceberg.dwh.reactions.liked', 'iceberg.dwh.reactions.reacted_at', 'iceberg.dwh.reactions.user_id'] AS array(varchar)), CAST(NULL AS varchar))) AS t(feature, view_name, column_name, type, description, owner, version, entity, online, materialization, source_columns, window);
