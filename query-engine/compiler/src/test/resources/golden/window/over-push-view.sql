-- events
SELECT "e"."user_id" AS "user_id", "read_at" AS "__asof_e", "e"."dwell_seconds" AS "__asof_x0", "liked" AS "__asof_x1"
FROM "features"."page_events" AS "e"

-- online load, through push sequence 42
SELECT v."user_id", date_diff('minute', TIMESTAMP '1970-01-01 00:00:00', date_trunc('minute', v."__asof_e")) AS "__asof_minute", sum(1) AS "__asof_s0", sum(CASE WHEN v."__asof_x0" IS NOT NULL THEN 1 ELSE 0 END) AS "__asof_s1", sum(v."__asof_x0") AS "__asof_s2", sum(CASE WHEN v."__asof_x1" THEN 1 ELSE 0 END) AS "__asof_s3"
FROM (
  SELECT "user_id" AS "user_id", "read_at" AS "__asof_e", "dwell_seconds" AS "__asof_x0", "liked" AS "__asof_x1"
  FROM "memory"."features"."page_events__v1"
  WHERE "__asof_push_seq" <= 42
) AS v
WHERE v."__asof_e" >= TIMESTAMP '2025-02-19 21:20:00'
GROUP BY v."user_id", date_trunc('minute', v."__asof_e")

-- as of now
SELECT "user_id",
  CAST("__asof_s0_w0" AS bigint) AS "n_5m",
  CAST("__asof_s0_w1" AS bigint) AS "n_1h",
  CAST(CASE WHEN "__asof_s1_w0" > 0 THEN "__asof_s2_w0" ELSE NULL END AS bigint) AS "dwell_5m",
  CAST(CASE WHEN "__asof_s1_w1" > 0 THEN "__asof_s2_w1" ELSE NULL END AS bigint) AS "dwell_1h",
  CAST("__asof_s3_w0" * 1E0 / NULLIF("__asof_s0_w0", 0) AS double) AS "like_rate_5m",
  CAST("__asof_s3_w1" * 1E0 / NULLIF("__asof_s0_w1", 0) AS double) AS "like_rate_1h"
FROM (
  SELECT v."user_id",
    coalesce(sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '5' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) THEN 1 END), 0) AS "__asof_s0_w0",
    coalesce(sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '5' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) THEN CASE WHEN v."__asof_x0" IS NOT NULL THEN 1 ELSE 0 END END), 0) AS "__asof_s1_w0",
    sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '5' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) THEN v."__asof_x0" END) AS "__asof_s2_w0",
    coalesce(sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '5' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) THEN CASE WHEN v."__asof_x1" THEN 1 ELSE 0 END END), 0) AS "__asof_s3_w0",
    coalesce(sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '60' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) THEN 1 END), 0) AS "__asof_s0_w1",
    coalesce(sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '60' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) THEN CASE WHEN v."__asof_x0" IS NOT NULL THEN 1 ELSE 0 END END), 0) AS "__asof_s1_w1",
    sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '60' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) THEN v."__asof_x0" END) AS "__asof_s2_w1",
    coalesce(sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '60' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) THEN CASE WHEN v."__asof_x1" THEN 1 ELSE 0 END END), 0) AS "__asof_s3_w1"
  FROM (
    SELECT "e"."user_id" AS "user_id", "read_at" AS "__asof_e", "e"."dwell_seconds" AS "__asof_x0", "liked" AS "__asof_x1"
    FROM "features"."page_events" AS "e"
  ) AS v
  WHERE v."__asof_e" IS NOT NULL AND v."user_id" IS NOT NULL
  GROUP BY v."user_id"
)
