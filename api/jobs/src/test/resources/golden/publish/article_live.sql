CREATE OR REPLACE VIEW iceberg.features.article_live
COMMENT 'Live reaction counters of an article over the last 5 minutes, pushed by the feed''s stream processor as they change. [entity article; owner feed; ttl 1d; push; v1]'
AS
SELECT "article_id", "updated_at", "reads_5m", "likes_5m", "shares_5m"
FROM features."article_live__v1";

COMMENT ON COLUMN iceberg.features.article_live.article_id IS 'Key of entity article.';

COMMENT ON COLUMN iceberg.features.article_live.updated_at IS 'Event time: when this row''s values became true.';

COMMENT ON COLUMN iceberg.features.article_live.reads_5m IS 'Feature article_live:reads_5m (v1), owned by feed: reads in the 5 minutes up to updated_at';

COMMENT ON COLUMN iceberg.features.article_live.likes_5m IS 'Feature article_live:likes_5m (v1), owned by feed.';

COMMENT ON COLUMN iceberg.features.article_live.shares_5m IS 'Feature article_live:shares_5m (v1), owned by feed.';

CREATE OR REPLACE VIEW iceberg.features.asof_features
COMMENT 'Every feature Asof publishes: one row per feature column.'
AS
SELECT t.*, CAST(NULL AS timestamp(6)) AS freshness
FROM (VALUES
  ('article_live:reads_5m', 'article_live', 'reads_5m', 'bigint', 'reads in the 5 minutes up to updated_at', 'feed', 1, 'article', false, 'push', CAST(ARRAY[] AS array(varchar)), CAST(NULL AS varchar)),
  ('article_live:likes_5m', 'article_live', 'likes_5m', 'bigint', 'Live reaction counters of an article over the last 5 minutes, pushed by the feed''s stream processor as they change.', 'feed', 1, 'article', false, 'push', CAST(ARRAY[] AS array(varchar)), CAST(NULL AS varchar)),
  ('article_live:shares_5m', 'article_live', 'shares_5m', 'bigint', 'Live reaction counters of an article over the last 5 minutes, pushed by the feed''s stream processor as they change.', 'feed', 1, 'article', false, 'push', CAST(ARRAY[] AS array(varchar)), CAST(NULL AS varchar))) AS t(feature, view_name, column_name, type, description, owner, version, entity, online, materialization, source_columns, window);
