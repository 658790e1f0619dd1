CREATE TABLE IF NOT EXISTS iceberg.features.article_live__v1 (
  "article_id" bigint,
  "updated_at" timestamp(6),
  "reads_5m" bigint COMMENT 'reads in the 5 minutes up to updated_at',
  "likes_5m" bigint,
  "shares_5m" bigint,
  "__asof_push_seq" bigint COMMENT 'Push-log sequence of the batch that brought this row; each batch is committed exactly once by it.'
)
COMMENT 'Live reaction counters of an article over the last 5 minutes, pushed by the feed''s stream processor as they change. [rows pushed to view article_live v1 through POST /v1/push/article_live; __asof_push_seq: the push-log sequence of the batch that brought each row]'
WITH (partitioning = ARRAY['day(updated_at)']);

COMMENT ON TABLE iceberg.features.article_live__v1 IS 'Live reaction counters of an article over the last 5 minutes, pushed by the feed''s stream processor as they change. [rows pushed to view article_live v1 through POST /v1/push/article_live; __asof_push_seq: the push-log sequence of the batch that brought each row]';

COMMENT ON COLUMN iceberg.features.article_live__v1."article_id" IS NULL;

COMMENT ON COLUMN iceberg.features.article_live__v1."updated_at" IS NULL;

COMMENT ON COLUMN iceberg.features.article_live__v1."reads_5m" IS 'reads in the 5 minutes up to updated_at';

COMMENT ON COLUMN iceberg.features.article_live__v1."likes_5m" IS NULL;

COMMENT ON COLUMN iceberg.features.article_live__v1."shares_5m" IS NULL;

SELECT "article_id", "updated_at", "reads_5m", "likes_5m", "shares_5m"
FROM features."article_live__v1";

SELECT CAST(NULL AS bigint) AS "article_id", CAST(NULL AS timestamp(6)) AS "updated_at", CAST(NULL AS bigint) AS "reads_5m", CAST(NULL AS bigint) AS "likes_5m", CAST(NULL AS bigint) AS "shares_5m"
WHERE false;

SELECT max("__asof_push_seq") FROM iceberg.features.article_live__v1;
