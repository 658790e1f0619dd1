SELECT "user_id", "category",
  CAST("__asof_s0_w0" AS bigint) AS "likes_90m",
  CAST("__asof_s0_w1" AS bigint) AS "likes_7d",
  CAST(NULLIF("__asof_s1_w0", 0) AS bigint) AS "read_count_90m",
  CAST(NULLIF("__asof_s1_w1", 0) AS bigint) AS "read_count_7d",
  CAST("__asof_s2_w0" AS integer) AS "longest_90m",
  CAST("__asof_s2_w1" AS integer) AS "longest_7d",
  CAST("__asof_s3_w0" AS bigint) AS "articles_90m",
  CAST("__asof_s3_w1" AS bigint) AS "articles_7d"
FROM (
  SELECT v."user_id", v."category",
    coalesce(sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '90' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) THEN CASE WHEN v."__asof_x0" THEN 1 ELSE 0 END END), 0) AS "__asof_s0_w0",
    coalesce(sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '90' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) THEN 1 END), 0) AS "__asof_s1_w0",
    max(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '90' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) THEN v."__asof_x1" END) AS "__asof_s2_w0",
    coalesce(count(DISTINCT CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '90' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) THEN v."__asof_x2" END), 0) AS "__asof_s3_w0",
    coalesce(sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '10080' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) THEN CASE WHEN v."__asof_x0" THEN 1 ELSE 0 END END), 0) AS "__asof_s0_w1",
    coalesce(sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '10080' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) THEN 1 END), 0) AS "__asof_s1_w1",
    max(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '10080' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) THEN v."__asof_x1" END) AS "__asof_s2_w1",
    coalesce(count(DISTINCT CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '10080' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) THEN v."__asof_x2" END), 0) AS "__asof_s3_w1"
  FROM (
    SELECT "user_id" AS "user_id", "category" AS "category", "reacted_at" AS "__asof_e", "liked" AS "__asof_x0", "dwell_seconds" AS "__asof_x1", "article_id" AS "__asof_x2"
    FROM "aggviews"."reactions"
  ) AS v
  WHERE v."__asof_e" IS NOT NULL AND v."user_id" IS NOT NULL AND v."category" IS NOT NULL
  GROUP BY v."user_id", v."category"
)
