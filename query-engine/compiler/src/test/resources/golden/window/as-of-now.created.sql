SELECT "user_id",
  CAST("__asof_s0_w0" AS bigint) AS "read_count_1h",
  CAST("__asof_s0_w1" AS bigint) AS "read_count_1d",
  CAST("__asof_s0_w2" AS bigint) AS "read_count_7d",
  CAST("__asof_s1_w0" AS bigint) AS "timed_reads_1h",
  CAST("__asof_s1_w1" AS bigint) AS "timed_reads_1d",
  CAST("__asof_s1_w2" AS bigint) AS "timed_reads_7d",
  CAST("__asof_s2_w0" * 1E0 / "__asof_s0_w0" AS double) AS "like_rate_1h",
  CAST("__asof_s2_w1" * 1E0 / "__asof_s0_w1" AS double) AS "like_rate_1d",
  CAST("__asof_s2_w2" * 1E0 / "__asof_s0_w2" AS double) AS "like_rate_7d",
  CAST(CASE WHEN "__asof_s1_w0" > 0 THEN "__asof_s3_w0" ELSE NULL END AS bigint) AS "dwell_seconds_1h",
  CAST(CASE WHEN "__asof_s1_w1" > 0 THEN "__asof_s3_w1" ELSE NULL END AS bigint) AS "dwell_seconds_1d",
  CAST(CASE WHEN "__asof_s1_w2" > 0 THEN "__asof_s3_w2" ELSE NULL END AS bigint) AS "dwell_seconds_7d",
  CAST(CASE WHEN "__asof_s1_w0" > 0 THEN CAST("__asof_s3_w0" AS DOUBLE) / "__asof_s1_w0" ELSE NULL END AS double) AS "avg_dwell_1h",
  CAST(CASE WHEN "__asof_s1_w1" > 0 THEN CAST("__asof_s3_w1" AS DOUBLE) / "__asof_s1_w1" ELSE NULL END AS double) AS "avg_dwell_1d",
  CAST(CASE WHEN "__asof_s1_w2" > 0 THEN CAST("__asof_s3_w2" AS DOUBLE) / "__asof_s1_w2" ELSE NULL END AS double) AS "avg_dwell_7d"
FROM (
  SELECT v."user_id",
    coalesce(sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '60' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) AND (v."__asof_c" IS NULL OR v."__asof_c" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) THEN 1 END), 0) AS "__asof_s0_w0",
    coalesce(sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '60' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) AND (v."__asof_c" IS NULL OR v."__asof_c" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) THEN CASE WHEN v."__asof_x0" IS NOT NULL THEN 1 ELSE 0 END END), 0) AS "__asof_s1_w0",
    coalesce(sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '60' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) AND (v."__asof_c" IS NULL OR v."__asof_c" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) THEN CASE WHEN v."__asof_x1" THEN 1 ELSE 0 END END), 0) AS "__asof_s2_w0",
    sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '60' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) AND (v."__asof_c" IS NULL OR v."__asof_c" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) THEN v."__asof_x0" END) AS "__asof_s3_w0",
    coalesce(sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '1440' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) AND (v."__asof_c" IS NULL OR v."__asof_c" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) THEN 1 END), 0) AS "__asof_s0_w1",
    coalesce(sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '1440' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) AND (v."__asof_c" IS NULL OR v."__asof_c" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) THEN CASE WHEN v."__asof_x0" IS NOT NULL THEN 1 ELSE 0 END END), 0) AS "__asof_s1_w1",
    coalesce(sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '1440' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) AND (v."__asof_c" IS NULL OR v."__asof_c" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) THEN CASE WHEN v."__asof_x1" THEN 1 ELSE 0 END END), 0) AS "__asof_s2_w1",
    sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '1440' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) AND (v."__asof_c" IS NULL OR v."__asof_c" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) THEN v."__asof_x0" END) AS "__asof_s3_w1",
    coalesce(sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '10080' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) AND (v."__asof_c" IS NULL OR v."__asof_c" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) THEN 1 END), 0) AS "__asof_s0_w2",
    coalesce(sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '10080' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) AND (v."__asof_c" IS NULL OR v."__asof_c" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) THEN CASE WHEN v."__asof_x0" IS NOT NULL THEN 1 ELSE 0 END END), 0) AS "__asof_s1_w2",
    coalesce(sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '10080' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) AND (v."__asof_c" IS NULL OR v."__asof_c" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) THEN CASE WHEN v."__asof_x1" THEN 1 ELSE 0 END END), 0) AS "__asof_s2_w2",
    sum(CASE WHEN v."__asof_e" >= date_trunc('minute', CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) - INTERVAL '10080' MINUTE AND v."__asof_e" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6)) AND (v."__asof_c" IS NULL OR v."__asof_c" <= CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))) THEN v."__asof_x0" END) AS "__asof_s3_w2"
  FROM (
    SELECT "r"."user_id" AS "user_id", "reacted_at" AS "__asof_e", "ingested_at" AS "__asof_c", "dwell_seconds" AS "__asof_x0", "liked" AS "__asof_x1"
    FROM "aggviews"."reactions" AS "r"
    WHERE "r"."dwell_seconds" IS NULL OR "r"."dwell_seconds" >= 0
  ) AS v
  WHERE v."__asof_e" IS NOT NULL AND v."user_id" IS NOT NULL
  GROUP BY v."user_id"
)
