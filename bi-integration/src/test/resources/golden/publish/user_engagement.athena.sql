CREATE OR REPLACE VIEW awsdatacatalog.features.user_engagement
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

CREATE OR REPLACE VIEW awsdatacatalog.features.asof_features
AS
SELECT t.*, CAST(NULL AS timestamp(6)) AS freshness
FROM (VALUES
  ('user_engagement:reads_7d', 'user_engagement', 'reads_7d', 'bigint', 'How much a user reads: articles opened, time spent and likes over the last 7 and 30 days, as of each read. A read counts once it has landed in the warehouse.', 'recsys', 1, 'user', true, 'materialized', CAST(ARRAY['iceberg.dwh.reactions.reacted_at', 'iceberg.dwh.reactions.user_id'] AS array(varchar)), CAST(NULL AS varchar)),
  ('user_engagement:dwell_seconds_7d', 'user_engagement', 'dwell_seconds_7d', 'bigint', 'How much a user reads: articles opened, time spent and likes over the last 7 and 30 days, as of each read. A read counts once it has landed in the warehouse.', 'recsys', 1, 'user', true, 'materialized', CAST(ARRAY['iceberg.dwh.reactions.dwell_seconds', 'iceberg.dwh.reactions.reacted_at', 'iceberg.dwh.reactions.user_id'] AS array(varchar)), CAST(NULL AS varchar)),
  ('user_engagement:reads_30d', 'user_engagement', 'reads_30d', 'bigint', 'How much a user reads: articles opened, time spent and likes over the last 7 and 30 days, as of each read. A read counts once it has landed in the warehouse.', 'recsys', 1, 'user', true, 'materialized', CAST(ARRAY['iceberg.dwh.reactions.reacted_at', 'iceberg.dwh.reactions.user_id'] AS array(varchar)), CAST(NULL AS varchar)),
  ('user_engagement:likes_30d', 'user_engagement', 'likes_30d', 'bigint', 'How much a user reads: articles opened, time spent and likes over the last 7 and 30 days, as of each read. A read counts once it has landed in the warehouse.', 'recsys', 1, 'user', true, 'materialized', CAST(ARRAY['iceberg.dwh.reactions.liked', 'iceberg.dwh.reactions.reacted_at', 'iceberg.dwh.reactions.user_id'] AS array(varchar)), CAST(NULL AS varchar))) AS t(feature, view_name, column_name, type, description, owner, version, entity, online, materialization, source_columns, window);
