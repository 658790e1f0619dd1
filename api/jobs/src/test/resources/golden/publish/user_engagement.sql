CREATE OR REPLACE VIEW iceberg.features.user_engagement
COMMENT 'How much a user reads: articles opened, time spent and likes over the last 7 and 30 days, as of each moment asked about. A read counts once it has landed in the warehouse. [entity user; owner recsys; aggregation over 7d, 30d; virtual; v1]'
AS
SELECT "user_id",
  CAST("__asof_s0_w0" AS bigint) AS "reads_7d",
  CAST("__asof_s0_w1" AS bigint) AS "reads_30d",
  CAST(CASE WHEN "__asof_s1_w0" > 0 THEN "__asof_s2_w0" ELSE NULL END AS bigint) AS "dwell_seconds_7d",
  CAST(CASE WHEN "__asof_s1_w1" > 0 THEN "__asof_s2_w1" ELSE NULL END AS bigint) AS "dwell_seconds_30d",
  CAST("__asof_s3_w0" AS bigint) AS "likes_7d",
  CAST("__asof_s3_w1" AS bigint) AS "likes_30d"
FROM (
  SELECT v."user_id",
    coalesce(sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '10080' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) AND (v."__asof_c" IS NULL OR v."__asof_c" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) THEN 1 END), 0) AS "__asof_s0_w0",
    coalesce(sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '10080' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) AND (v."__asof_c" IS NULL OR v."__asof_c" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) THEN CASE WHEN v."__asof_x0" IS NOT NULL THEN 1 ELSE 0 END END), 0) AS "__asof_s1_w0",
    sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '10080' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) AND (v."__asof_c" IS NULL OR v."__asof_c" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) THEN v."__asof_x0" END) AS "__asof_s2_w0",
    coalesce(sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '10080' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) AND (v."__asof_c" IS NULL OR v."__asof_c" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) THEN CASE WHEN v."__asof_x1" THEN 1 ELSE 0 END END), 0) AS "__asof_s3_w0",
    coalesce(sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '43200' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) AND (v."__asof_c" IS NULL OR v."__asof_c" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) THEN 1 END), 0) AS "__asof_s0_w1",
    coalesce(sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '43200' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) AND (v."__asof_c" IS NULL OR v."__asof_c" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) THEN CASE WHEN v."__asof_x0" IS NOT NULL THEN 1 ELSE 0 END END), 0) AS "__asof_s1_w1",
    sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '43200' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) AND (v."__asof_c" IS NULL OR v."__asof_c" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) THEN v."__asof_x0" END) AS "__asof_s2_w1",
    coalesce(sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '43200' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) AND (v."__asof_c" IS NULL OR v."__asof_c" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) THEN CASE WHEN v."__asof_x1" THEN 1 ELSE 0 END END), 0) AS "__asof_s3_w1"
  FROM (
    SELECT "user_id" AS "user_id", "reacted_at" AS "__asof_e", "ingested_at" AS "__asof_c", "dwell_seconds" AS "__asof_x0", "liked" AS "__asof_x1"
    FROM "dwh"."reactions"
  ) AS v
  WHERE v."__asof_e" IS NOT NULL AND v."user_id" IS NOT NULL
  GROUP BY v."user_id"
);

COMMENT ON COLUMN iceberg.features.user_engagement.user_id IS 'Key of entity user.';

COMMENT ON COLUMN iceberg.features.user_engagement.reads_7d IS 'reads over the 7d up to now (aggregation view user_engagement, window 7d; v1, owned by recsys).';

COMMENT ON COLUMN iceberg.features.user_engagement.reads_30d IS 'reads over the 30d up to now (aggregation view user_engagement, window 30d; v1, owned by recsys).';

COMMENT ON COLUMN iceberg.features.user_engagement.dwell_seconds_7d IS 'dwell_seconds over the 7d up to now (aggregation view user_engagement, window 7d; v1, owned by recsys).';

COMMENT ON COLUMN iceberg.features.user_engagement.dwell_seconds_30d IS 'dwell_seconds over the 30d up to now (aggregation view user_engagement, window 30d; v1, owned by recsys).';

COMMENT ON COLUMN iceberg.features.user_engagement.likes_7d IS 'likes over the 7d up to now (aggregation view user_engagement, window 7d; v1, owned by recsys).';

COMMENT ON COLUMN iceberg.features.user_engagement.likes_30d IS 'likes over the 30d up to now (aggregation view user_engagement, window 30d; v1, owned by recsys).';

CREATE OR REPLACE VIEW iceberg.features.asof_features
COMMENT 'Every feature Asof publishes: one row per feature column.'
AS
SELECT t.*, CAST(NULL AS timestamp(6)) AS freshness
FROM (VALUES
  ('user_engagement:reads_7d', 'user_engagement', 'reads_7d', 'bigint', 'How much a user reads: articles opened, time spent and likes over the last 7 and 30 days, as of each moment asked about. A read counts once it has landed in the warehouse.', 'recsys', 1, 'user', false, 'virtual', CAST(ARRAY['iceberg.dwh.reactions.ingested_at', 'iceberg.dwh.reactions.reacted_at'] AS array(varchar)), '7d'),
  ('user_engagement:reads_30d', 'user_engagement', 'reads_30d', 'bigint', 'How much a user reads: articles opened, time spent and likes over the last 7 and 30 days, as of each moment asked about. A read counts once it has landed in the warehouse.', 'recsys', 1, 'user', false, 'virtual', CAST(ARRAY['iceberg.dwh.reactions.ingested_at', 'iceberg.dwh.reactions.reacted_at'] AS array(varchar)), '30d'),
  ('user_engagement:dwell_seconds_7d', 'user_engagement', 'dwell_seconds_7d', 'bigint', 'How much a user reads: articles opened, time spent and likes over the last 7 and 30 days, as of each moment asked about. A read counts once it has landed in the warehouse.', 'recsys', 1, 'user', false, 'virtual', CAST(ARRAY['iceberg.dwh.reactions.dwell_seconds', 'iceberg.dwh.reactions.ingested_at', 'iceberg.dwh.reactions.reacted_at'] AS array(varchar)), '7d'),
  ('user_engagement:dwell_seconds_30d', 'user_engagement', 'dwell_seconds_30d', 'bigint', 'How much a user reads: articles opened, time spent and likes over the last 7 and 30 days, as of each moment asked about. A read counts once it has landed in the warehouse.', 'recsys', 1, 'user', false, 'virtual', CAST(ARRAY['iceberg.dwh.reactions.dwell_seconds', 'iceberg.dwh.reactions.ingested_at', 'iceberg.dwh.reactions.reacted_at'] AS array(varchar)), '30d'),
  ('user_engagement:likes_7d', 'user_engagement', 'likes_7d', 'bigint', 'How much a user reads: articles opened, time spent and likes over the last 7 and 30 days, as of each moment asked about. A read counts once it has landed in the warehouse.', 'recsys', 1, 'user', false, 'virtual', CAST(ARRAY['iceberg.dwh.reactions.ingested_at', 'iceberg.dwh.reactions.liked', 'iceberg.dwh.reactions.reacted_at'] AS array(varchar)), '7d'),
  ('user_engagement:likes_30d', 'user_engagement', 'likes_30d', 'bigint', 'How much a user reads: articles opened, time spent and likes over the last 7 and 30 days, as of each moment asked about. A read counts once it has landed in the warehouse.', 'recsys', 1, 'user', false, 'virtual', CAST(ARRAY['iceberg.dwh.reactions.ingested_at', 'iceberg.dwh.reactions.liked', 'iceberg.dwh.reactions.reacted_at'] AS array(varchar)), '30d')) AS t(feature, view_name, column_name, type, description, owner, version, entity, online, materialization, source_columns, window);
