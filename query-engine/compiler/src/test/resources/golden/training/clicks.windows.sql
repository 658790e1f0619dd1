WITH
  spine AS (
    SELECT impression_id, user_id, category, shown_at, clicked FROM aggviews.impressions
  ),
  probes1 AS (
    SELECT DISTINCT "user_id", "shown_at" AS __asof_t
    FROM spine
  ),
  events1 AS (
    SELECT v."user_id", greatest(v."__asof_e", coalesce(v."__asof_c", v."__asof_e")) AS __asof_v, date_trunc('minute', v."__asof_e") AS __asof_m, v."__asof_x0", v."__asof_x1"
    FROM (
      SELECT "r"."user_id" AS "user_id", "reacted_at" AS "__asof_e", "ingested_at" AS "__asof_c", "dwell_seconds" AS "__asof_x0", "liked" AS "__asof_x1"
      FROM "aggviews"."reactions" AS "r"
      WHERE "r"."dwell_seconds" IS NULL OR "r"."dwell_seconds" >= 0
    ) AS v
    JOIN (
      SELECT "user_id", min(__asof_t) AS __asof_lo, max(__asof_t) AS __asof_hi
      FROM probes1
      GROUP BY "user_id"
    ) AS k ON k."user_id" = v."user_id"
    WHERE v."__asof_e" <= k.__asof_hi
      AND v."__asof_e" >= date_trunc('minute', k.__asof_lo) - INTERVAL '10080' MINUTE
  ),
  found1 AS (
    SELECT "user_id", __asof_t,
      CAST("__asof_s0_w0" AS bigint) AS "read_count_1h",
      CAST("__asof_s2_w2" * 1E0 / "__asof_s0_w2" AS double) AS "like_rate_7d",
      CAST(CASE WHEN "__asof_s1_w1" > 0 THEN CAST("__asof_s3_w1" AS DOUBLE) / "__asof_s1_w1" ELSE NULL END AS double) AS "avg_dwell_1d"
    FROM (
      SELECT "user_id", __asof_t, __asof_kind,
        coalesce(sum("__asof_s0_w0") OVER (PARTITION BY "user_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s0_w0",
        coalesce(sum("__asof_s1_w0") OVER (PARTITION BY "user_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s1_w0",
        coalesce(sum("__asof_s2_w0") OVER (PARTITION BY "user_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s2_w0",
        sum("__asof_s3_w0") OVER (PARTITION BY "user_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "__asof_s3_w0",
        coalesce(sum("__asof_s0_w1") OVER (PARTITION BY "user_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s0_w1",
        coalesce(sum("__asof_s1_w1") OVER (PARTITION BY "user_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s1_w1",
        coalesce(sum("__asof_s2_w1") OVER (PARTITION BY "user_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s2_w1",
        sum("__asof_s3_w1") OVER (PARTITION BY "user_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "__asof_s3_w1",
        coalesce(sum("__asof_s0_w2") OVER (PARTITION BY "user_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s0_w2",
        coalesce(sum("__asof_s1_w2") OVER (PARTITION BY "user_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s1_w2",
        coalesce(sum("__asof_s2_w2") OVER (PARTITION BY "user_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s2_w2",
        sum("__asof_s3_w2") OVER (PARTITION BY "user_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "__asof_s3_w2"
      FROM (
        SELECT "user_id", __asof_v AS __asof_t, 0 AS __asof_kind, CASE WHEN __asof_v < __asof_m + INTERVAL '61' MINUTE THEN 1 END AS "__asof_s0_w0", CASE WHEN __asof_v < __asof_m + INTERVAL '61' MINUTE THEN CASE WHEN "__asof_x0" IS NOT NULL THEN 1 ELSE 0 END END AS "__asof_s1_w0", CASE WHEN __asof_v < __asof_m + INTERVAL '61' MINUTE THEN CASE WHEN "__asof_x1" THEN 1 ELSE 0 END END AS "__asof_s2_w0", CASE WHEN __asof_v < __asof_m + INTERVAL '61' MINUTE THEN "__asof_x0" END AS "__asof_s3_w0", CASE WHEN __asof_v < __asof_m + INTERVAL '1441' MINUTE THEN 1 END AS "__asof_s0_w1", CASE WHEN __asof_v < __asof_m + INTERVAL '1441' MINUTE THEN CASE WHEN "__asof_x0" IS NOT NULL THEN 1 ELSE 0 END END AS "__asof_s1_w1", CASE WHEN __asof_v < __asof_m + INTERVAL '1441' MINUTE THEN CASE WHEN "__asof_x1" THEN 1 ELSE 0 END END AS "__asof_s2_w1", CASE WHEN __asof_v < __asof_m + INTERVAL '1441' MINUTE THEN "__asof_x0" END AS "__asof_s3_w1", CASE WHEN __asof_v < __asof_m + INTERVAL '10081' MINUTE THEN 1 END AS "__asof_s0_w2", CASE WHEN __asof_v < __asof_m + INTERVAL '10081' MINUTE THEN CASE WHEN "__asof_x0" IS NOT NULL THEN 1 ELSE 0 END END AS "__asof_s1_w2", CASE WHEN __asof_v < __asof_m + INTERVAL '10081' MINUTE THEN CASE WHEN "__asof_x1" THEN 1 ELSE 0 END END AS "__asof_s2_w2", CASE WHEN __asof_v < __asof_m + INTERVAL '10081' MINUTE THEN "__asof_x0" END AS "__asof_s3_w2"
        FROM events1
        UNION ALL
        SELECT "user_id", CASE __asof_i WHEN 1 THEN __asof_m + INTERVAL '61' MINUTE WHEN 2 THEN __asof_m + INTERVAL '1441' MINUTE WHEN 3 THEN __asof_m + INTERVAL '10081' MINUTE END, 0, CASE __asof_i WHEN 1 THEN -("__asof_s0_w0") END AS "__asof_s0_w0", CASE __asof_i WHEN 1 THEN -("__asof_s1_w0") END AS "__asof_s1_w0", CASE __asof_i WHEN 1 THEN -("__asof_s2_w0") END AS "__asof_s2_w0", CASE __asof_i WHEN 1 THEN -("__asof_s3_w0") END AS "__asof_s3_w0", CASE __asof_i WHEN 2 THEN -("__asof_s0_w1") END AS "__asof_s0_w1", CASE __asof_i WHEN 2 THEN -("__asof_s1_w1") END AS "__asof_s1_w1", CASE __asof_i WHEN 2 THEN -("__asof_s2_w1") END AS "__asof_s2_w1", CASE __asof_i WHEN 2 THEN -("__asof_s3_w1") END AS "__asof_s3_w1", CASE __asof_i WHEN 3 THEN -("__asof_s0_w2") END AS "__asof_s0_w2", CASE __asof_i WHEN 3 THEN -("__asof_s1_w2") END AS "__asof_s1_w2", CASE __asof_i WHEN 3 THEN -("__asof_s2_w2") END AS "__asof_s2_w2", CASE __asof_i WHEN 3 THEN -("__asof_s3_w2") END AS "__asof_s3_w2"
        FROM (
          SELECT "user_id", __asof_m, sum(CASE WHEN __asof_v < __asof_m + INTERVAL '61' MINUTE THEN 1 END) AS "__asof_s0_w0", sum(CASE WHEN __asof_v < __asof_m + INTERVAL '61' MINUTE THEN CASE WHEN "__asof_x0" IS NOT NULL THEN 1 ELSE 0 END END) AS "__asof_s1_w0", sum(CASE WHEN __asof_v < __asof_m + INTERVAL '61' MINUTE THEN CASE WHEN "__asof_x1" THEN 1 ELSE 0 END END) AS "__asof_s2_w0", sum(CASE WHEN __asof_v < __asof_m + INTERVAL '61' MINUTE THEN "__asof_x0" END) AS "__asof_s3_w0", sum(CASE WHEN __asof_v < __asof_m + INTERVAL '1441' MINUTE THEN 1 END) AS "__asof_s0_w1", sum(CASE WHEN __asof_v < __asof_m + INTERVAL '1441' MINUTE THEN CASE WHEN "__asof_x0" IS NOT NULL THEN 1 ELSE 0 END END) AS "__asof_s1_w1", sum(CASE WHEN __asof_v < __asof_m + INTERVAL '1441' MINUTE THEN CASE WHEN "__asof_x1" THEN 1 ELSE 0 END END) AS "__asof_s2_w1", sum(CASE WHEN __asof_v < __asof_m + INTERVAL '1441' MINUTE THEN "__asof_x0" END) AS "__asof_s3_w1", sum(CASE WHEN __asof_v < __asof_m + INTERVAL '10081' MINUTE THEN 1 END) AS "__asof_s0_w2", sum(CASE WHEN __asof_v < __asof_m + INTERVAL '10081' MINUTE THEN CASE WHEN "__asof_x0" IS NOT NULL THEN 1 ELSE 0 END END) AS "__asof_s1_w2", sum(CASE WHEN __asof_v < __asof_m + INTERVAL '10081' MINUTE THEN CASE WHEN "__asof_x1" THEN 1 ELSE 0 END END) AS "__asof_s2_w2", sum(CASE WHEN __asof_v < __asof_m + INTERVAL '10081' MINUTE THEN "__asof_x0" END) AS "__asof_s3_w2"
          FROM events1
          GROUP BY "user_id", __asof_m
        )
        CROSS JOIN UNNEST(ARRAY[1, 2, 3]) AS u(__asof_i)
        UNION ALL
        SELECT "user_id", __asof_t, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
        FROM probes1
      )
    )
    WHERE __asof_kind = 1
  ),
  probes2 AS (
    SELECT DISTINCT "user_id", "category", "shown_at" AS __asof_t
    FROM spine
  ),
  events2 AS (
    SELECT v."user_id", v."category", v."__asof_e" AS __asof_v, date_trunc('minute', v."__asof_e") AS __asof_m, v."__asof_x0"
    FROM (
      SELECT "user_id" AS "user_id", "category" AS "category", "reacted_at" AS "__asof_e", "liked" AS "__asof_x0"
      FROM "aggviews"."reactions"
    ) AS v
    JOIN (
      SELECT "user_id", "category", min(__asof_t) AS __asof_lo, max(__asof_t) AS __asof_hi
      FROM probes2
      GROUP BY "user_id", "category"
    ) AS k ON k."user_id" = v."user_id" AND k."category" = v."category"
    WHERE v."__asof_e" <= k.__asof_hi
      AND v."__asof_e" >= date_trunc('minute', k.__asof_lo) - INTERVAL '10080' MINUTE
  ),
  found2 AS (
    SELECT "user_id", "category", __asof_t,
      CAST("__asof_s0_w0" AS bigint) AS "likes_90m",
      CAST("__asof_s0_w1" AS bigint) AS "likes_7d",
      CAST(NULLIF("__asof_s1_w0", 0) AS bigint) AS "read_count_90m",
      CAST(NULLIF("__asof_s1_w1", 0) AS bigint) AS "read_count_7d"
    FROM (
      SELECT "user_id", "category", __asof_t, __asof_kind,
        coalesce(sum("__asof_s0_w0") OVER (PARTITION BY "user_id", "category" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s0_w0",
        coalesce(sum("__asof_s1_w0") OVER (PARTITION BY "user_id", "category" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s1_w0",
        coalesce(sum("__asof_s0_w1") OVER (PARTITION BY "user_id", "category" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s0_w1",
        coalesce(sum("__asof_s1_w1") OVER (PARTITION BY "user_id", "category" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s1_w1"
      FROM (
        SELECT "user_id", "category", __asof_v AS __asof_t, 0 AS __asof_kind, CASE WHEN "__asof_x0" THEN 1 ELSE 0 END AS "__asof_s0_w0", 1 AS "__asof_s1_w0", CASE WHEN "__asof_x0" THEN 1 ELSE 0 END AS "__asof_s0_w1", 1 AS "__asof_s1_w1"
        FROM events2
        UNION ALL
        SELECT "user_id", "category", CASE __asof_i WHEN 1 THEN __asof_m + INTERVAL '91' MINUTE WHEN 2 THEN __asof_m + INTERVAL '10081' MINUTE END, 0, CASE __asof_i WHEN 1 THEN -("__asof_tile_s0") END AS "__asof_s0_w0", CASE __asof_i WHEN 1 THEN -("__asof_tile_s1") END AS "__asof_s1_w0", CASE __asof_i WHEN 2 THEN -("__asof_tile_s0") END AS "__asof_s0_w1", CASE __asof_i WHEN 2 THEN -("__asof_tile_s1") END AS "__asof_s1_w1"
        FROM (
          SELECT "user_id", "category", __asof_m, sum(CASE WHEN "__asof_x0" THEN 1 ELSE 0 END) AS "__asof_tile_s0", sum(1) AS "__asof_tile_s1"
          FROM events2
          GROUP BY "user_id", "category", __asof_m
        )
        CROSS JOIN UNNEST(ARRAY[1, 2]) AS u(__asof_i)
        UNION ALL
        SELECT "user_id", "category", __asof_t, 1, NULL, NULL, NULL, NULL
        FROM probes2
      )
    )
    WHERE __asof_kind = 1
  ),
  probes3 AS (
    SELECT DISTINCT "user_id", "shown_at" AS __asof_t
    FROM spine
  ),
  rows3 AS (
    SELECT v."user_id", v."reacted_at", v."last_article"
    FROM (
      SELECT user_id, reacted_at, article_id AS last_article FROM aggviews.reactions
    ) AS v
    JOIN (
      SELECT "user_id", min("shown_at") AS __asof_lo, max("shown_at") AS __asof_hi
      FROM spine
      GROUP BY "user_id"
    ) AS k ON k."user_id" = v."user_id"
    WHERE v."reacted_at" <= k.__asof_hi
  ),
  ranges3 AS (
    SELECT "user_id", "reacted_at" AS __asof_from,
      lead("reacted_at") OVER (PARTITION BY "user_id" ORDER BY "reacted_at", "last_article" ASC NULLS FIRST) AS __asof_to,
      "last_article"
    FROM rows3
  ),
  found3 AS (
    SELECT p."user_id", p.__asof_t, r."last_article"
    FROM probes3 p
    JOIN ranges3 r
      ON r."user_id" = p."user_id"
        AND r.__asof_from <= p.__asof_t
        AND coalesce(p.__asof_t < r.__asof_to, true)
  )
SELECT
  s."impression_id",
  s."user_id",
  s."category",
  s."shown_at",
  s."clicked",
  f1."read_count_1h" AS "read_count_1h",
  f1."like_rate_7d" AS "like_rate_7d",
  f1."avg_dwell_1d" AS "avg_dwell_1d",
  f2."likes_90m" AS "likes_90m",
  f2."likes_7d" AS "likes_7d",
  f2."read_count_90m" AS "read_count_90m",
  f2."read_count_7d" AS "read_count_7d",
  f3."last_article" AS "last_article"
FROM spine s
LEFT JOIN found1 f1
  ON f1."user_id" = s."user_id" AND f1.__asof_t = s."shown_at"
LEFT JOIN found2 f2
  ON f2."user_id" = s."user_id" AND f2."category" = s."category" AND f2.__asof_t = s."shown_at"
LEFT JOIN found3 f3
  ON f3."user_id" = s."user_id" AND f3.__asof_t = s."shown_at"
