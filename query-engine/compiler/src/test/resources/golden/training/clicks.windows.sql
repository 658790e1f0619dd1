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
    SELECT v."user_id", v."category", v."__asof_e" AS __asof_v, date_trunc('minute', v."__asof_e") AS __asof_m, v."__asof_x0", v."__asof_x1", v."__asof_x2"
    FROM (
      SELECT "user_id" AS "user_id", "category" AS "category", "reacted_at" AS "__asof_e", "liked" AS "__asof_x0", "dwell_seconds" AS "__asof_x1", "article_id" AS "__asof_x2"
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
  covers2 AS (
    SELECT "user_id", "category", __asof_t, __asof_w, __asof_l, __asof_i
    FROM (
      SELECT "user_id", "category", __asof_t, __asof_w, g.__asof_l, g.__asof_lo, g.__asof_hi
      FROM (
        SELECT "user_id", "category", __asof_t, __asof_w, __asof_a, __asof_b, __asof_h, __asof_d, CASE WHEN (__asof_h < __asof_b AND __asof_h + mod(mod(-__asof_h, 1440) + 1440, 1440) + 1440 <= __asof_b) THEN __asof_d + 1440 * ((__asof_b - __asof_d) / 1440) ELSE __asof_d END AS __asof_dt, CASE WHEN __asof_h = __asof_b THEN __asof_b ELSE __asof_b - mod(mod(__asof_b, 60) + 60, 60) END AS __asof_ht
        FROM (
          SELECT "user_id", "category", __asof_t, __asof_w, __asof_a, __asof_b, __asof_h, CASE WHEN __asof_h = __asof_b THEN __asof_b WHEN (__asof_h < __asof_b AND __asof_h + mod(mod(-__asof_h, 1440) + 1440, 1440) + 1440 <= __asof_b) THEN __asof_h + mod(mod(-__asof_h, 1440) + 1440, 1440) ELSE __asof_b - mod(mod(__asof_b, 60) + 60, 60) END AS __asof_d
          FROM (
            SELECT "user_id", "category", __asof_t, __asof_w, __asof_a, __asof_b, CASE WHEN __asof_a + mod(mod(-__asof_a, 60) + 60, 60) + 60 <= __asof_b THEN __asof_a + mod(mod(-__asof_a, 60) + 60, 60) ELSE __asof_b END AS __asof_h
            FROM (
              SELECT "user_id", "category", __asof_t, u.__asof_w, date_diff('minute', TIMESTAMP '1970-01-01 00:00:00', date_trunc('minute', __asof_t)) - u.__asof_n AS __asof_a, date_diff('minute', TIMESTAMP '1970-01-01 00:00:00', date_trunc('minute', __asof_t)) + 1 AS __asof_b
              FROM probes2
              CROSS JOIN UNNEST(ARRAY[0, 1], ARRAY[90, 10080]) AS u(__asof_w, __asof_n)
              WHERE "user_id" IS NOT NULL AND "category" IS NOT NULL AND __asof_t IS NOT NULL
            )
          )
        )
      )
      CROSS JOIN UNNEST(ARRAY[ROW(1, __asof_a, __asof_h), ROW(60, __asof_h / 60, __asof_d / 60), ROW(1440, __asof_d / 1440, __asof_dt / 1440), ROW(60, __asof_dt / 60, __asof_ht / 60), ROW(1, __asof_ht, __asof_b)]) AS g(__asof_l, __asof_lo, __asof_hi)
      WHERE g.__asof_lo < g.__asof_hi
    )
    CROSS JOIN UNNEST(sequence(__asof_lo, __asof_hi - 1)) AS s(__asof_i)
  ),
  extremes2 AS (
    SELECT "user_id", "category", __asof_t,
      max(CASE WHEN __asof_w = 0 THEN __asof_r2 END) AS "__asof_s2_w0",
      max(CASE WHEN __asof_w = 1 THEN __asof_r2 END) AS "__asof_s2_w1"
    FROM (
      SELECT "user_id", "category", __asof_t, __asof_w, __asof_kind,
        max("__asof_x1") OVER (PARTITION BY "user_id", "category", __asof_l, __asof_i ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS __asof_r2
      FROM (
        SELECT "user_id", "category", __asof_l, (date_diff('minute', TIMESTAMP '1970-01-01 00:00:00', __asof_m) - mod(mod(date_diff('minute', TIMESTAMP '1970-01-01 00:00:00', __asof_m), __asof_l) + __asof_l, __asof_l)) / __asof_l AS __asof_i, __asof_v AS __asof_t, 0 AS __asof_kind, CAST(NULL AS integer) AS __asof_w, "__asof_x1"
        FROM events2
        CROSS JOIN UNNEST(ARRAY[1, 60, 1440]) AS u(__asof_l)
        UNION ALL
        SELECT "user_id", "category", __asof_l, __asof_i, __asof_t, 1, __asof_w, NULL
        FROM covers2
      )
    )
    WHERE __asof_kind = 1
    GROUP BY "user_id", "category", __asof_t
  ),
  found2 AS (
    SELECT r."user_id", r."category", r.__asof_t,
      CAST("__asof_s0_w0" AS bigint) AS "likes_90m",
      CAST("__asof_s0_w1" AS bigint) AS "likes_7d",
      CAST(NULLIF("__asof_s1_w0", 0) AS bigint) AS "read_count_90m",
      CAST(NULLIF("__asof_s1_w1", 0) AS bigint) AS "read_count_7d",
      CAST("__asof_s2_w0" AS integer) AS "longest_90m",
      CAST("__asof_s2_w1" AS integer) AS "longest_7d",
      CAST("__asof_s3_w0" AS bigint) AS "articles_90m",
      CAST("__asof_s3_w1" AS bigint) AS "articles_7d"
    FROM (
      SELECT "user_id", "category", __asof_t, __asof_kind,
        coalesce(sum("__asof_s0_w0") OVER (PARTITION BY "user_id", "category" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s0_w0",
        coalesce(sum("__asof_s1_w0") OVER (PARTITION BY "user_id", "category" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s1_w0",
        coalesce(sum("__asof_s3_w0") OVER (PARTITION BY "user_id", "category" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s3_w0",
        coalesce(sum("__asof_s0_w1") OVER (PARTITION BY "user_id", "category" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s0_w1",
        coalesce(sum("__asof_s1_w1") OVER (PARTITION BY "user_id", "category" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s1_w1",
        coalesce(sum("__asof_s3_w1") OVER (PARTITION BY "user_id", "category" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s3_w1"
      FROM (
        SELECT "user_id", "category", __asof_v AS __asof_t, 0 AS __asof_kind, CASE WHEN "__asof_x0" THEN 1 ELSE 0 END AS "__asof_s0_w0", 1 AS "__asof_s1_w0", CAST(NULL AS bigint) AS "__asof_s3_w0", CASE WHEN "__asof_x0" THEN 1 ELSE 0 END AS "__asof_s0_w1", 1 AS "__asof_s1_w1", CAST(NULL AS bigint) AS "__asof_s3_w1"
        FROM events2
        UNION ALL
        SELECT "user_id", "category", CASE __asof_i WHEN 1 THEN __asof_m + INTERVAL '91' MINUTE WHEN 2 THEN __asof_m + INTERVAL '10081' MINUTE END, 0, CASE __asof_i WHEN 1 THEN -("__asof_tile_s0") END AS "__asof_s0_w0", CASE __asof_i WHEN 1 THEN -("__asof_tile_s1") END AS "__asof_s1_w0", NULL, CASE __asof_i WHEN 2 THEN -("__asof_tile_s0") END AS "__asof_s0_w1", CASE __asof_i WHEN 2 THEN -("__asof_tile_s1") END AS "__asof_s1_w1", NULL
        FROM (
          SELECT "user_id", "category", __asof_m, sum(CASE WHEN "__asof_x0" THEN 1 ELSE 0 END) AS "__asof_tile_s0", sum(1) AS "__asof_tile_s1"
          FROM events2
          GROUP BY "user_id", "category", __asof_m
        )
        CROSS JOIN UNNEST(ARRAY[1, 2]) AS u(__asof_i)
        UNION ALL
        SELECT "user_id", "category", d.__asof_t, 0 AS __asof_kind, CAST(NULL AS bigint) AS "__asof_s0_w0", CAST(NULL AS bigint) AS "__asof_s1_w0", CAST(CASE __asof_w WHEN 0 THEN __asof_d END AS bigint) AS "__asof_s3_w0", CAST(NULL AS bigint) AS "__asof_s0_w1", CAST(NULL AS bigint) AS "__asof_s1_w1", CAST(CASE __asof_w WHEN 1 THEN __asof_d END AS bigint) AS "__asof_s3_w1"
        FROM (
          SELECT "user_id", "category", __asof_w, min(__asof_v) AS __asof_from, max(__asof_to) AS __asof_to
          FROM (
            SELECT "user_id", "category", __asof_x, __asof_w, __asof_v, __asof_to,
              sum(__asof_new) OVER (PARTITION BY "user_id", "category", __asof_x, __asof_w ORDER BY __asof_v, __asof_to ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS __asof_island
            FROM (
              SELECT "user_id", "category", __asof_x, __asof_w, __asof_v, __asof_to,
                CASE WHEN __asof_v <= max(__asof_to) OVER (PARTITION BY "user_id", "category", __asof_x, __asof_w ORDER BY __asof_v, __asof_to ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) THEN 0 ELSE 1 END AS __asof_new
              FROM (
                SELECT "user_id", "category", "__asof_x2" AS __asof_x, u.__asof_w, __asof_v, CASE u.__asof_w WHEN 0 THEN __asof_m + INTERVAL '91' MINUTE WHEN 1 THEN __asof_m + INTERVAL '10081' MINUTE END AS __asof_to
                FROM events2
                CROSS JOIN UNNEST(ARRAY[0, 1]) AS u(__asof_w)
                WHERE "__asof_x2" IS NOT NULL
              )
              WHERE __asof_v < __asof_to
            )
          )
          GROUP BY "user_id", "category", __asof_x, __asof_w, __asof_island
        )
        CROSS JOIN UNNEST(ARRAY[__asof_from, __asof_to], ARRAY[1, -1]) AS d(__asof_t, __asof_d)
        UNION ALL
        SELECT "user_id", "category", __asof_t, 1, NULL, NULL, NULL, NULL, NULL, NULL
        FROM probes2
      )
    ) AS r
    LEFT JOIN extremes2 AS x ON x."user_id" = r."user_id" AND x."category" = r."category" AND x.__asof_t = r.__asof_t
    WHERE r.__asof_kind = 1
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
  ),
  probes4 AS (
    SELECT DISTINCT "user_id", "shown_at" AS __asof_t
    FROM spine
  ),
  events4 AS (
    SELECT v."user_id", greatest(v."__asof_e", coalesce(v."__asof_c", v."__asof_e")) AS __asof_v, date_trunc('minute', v."__asof_e") AS __asof_m, v."__asof_x0", v."__asof_x1", v."__asof_x2"
    FROM (
      SELECT "user_id" AS "user_id", "reacted_at" AS "__asof_e", "ingested_at" AS "__asof_c", "dwell_seconds" AS "__asof_x0", "article_id" AS "__asof_x1", "category" AS "__asof_x2"
      FROM "aggviews"."reactions"
    ) AS v
    JOIN (
      SELECT "user_id", min(__asof_t) AS __asof_lo, max(__asof_t) AS __asof_hi
      FROM probes4
      GROUP BY "user_id"
    ) AS k ON k."user_id" = v."user_id"
    WHERE v."__asof_e" <= k.__asof_hi
      AND v."__asof_e" >= date_trunc('minute', k.__asof_lo) - INTERVAL '43200' MINUTE
  ),
  covers4 AS (
    SELECT "user_id", __asof_t, __asof_w, __asof_l, __asof_i
    FROM (
      SELECT "user_id", __asof_t, __asof_w, g.__asof_l, g.__asof_lo, g.__asof_hi
      FROM (
        SELECT "user_id", __asof_t, __asof_w, __asof_a, __asof_b, __asof_h, __asof_d, CASE WHEN (__asof_h < __asof_b AND __asof_h + mod(mod(-__asof_h, 1440) + 1440, 1440) + 1440 <= __asof_b) THEN __asof_d + 1440 * ((__asof_b - __asof_d) / 1440) ELSE __asof_d END AS __asof_dt, CASE WHEN __asof_h = __asof_b THEN __asof_b ELSE __asof_b - mod(mod(__asof_b, 60) + 60, 60) END AS __asof_ht
        FROM (
          SELECT "user_id", __asof_t, __asof_w, __asof_a, __asof_b, __asof_h, CASE WHEN __asof_h = __asof_b THEN __asof_b WHEN (__asof_h < __asof_b AND __asof_h + mod(mod(-__asof_h, 1440) + 1440, 1440) + 1440 <= __asof_b) THEN __asof_h + mod(mod(-__asof_h, 1440) + 1440, 1440) ELSE __asof_b - mod(mod(__asof_b, 60) + 60, 60) END AS __asof_d
          FROM (
            SELECT "user_id", __asof_t, __asof_w, __asof_a, __asof_b, CASE WHEN __asof_a + mod(mod(-__asof_a, 60) + 60, 60) + 60 <= __asof_b THEN __asof_a + mod(mod(-__asof_a, 60) + 60, 60) ELSE __asof_b END AS __asof_h
            FROM (
              SELECT "user_id", __asof_t, u.__asof_w, date_diff('minute', TIMESTAMP '1970-01-01 00:00:00', date_trunc('minute', __asof_t)) - u.__asof_n AS __asof_a, date_diff('minute', TIMESTAMP '1970-01-01 00:00:00', date_trunc('minute', __asof_t)) + 1 AS __asof_b
              FROM probes4
              CROSS JOIN UNNEST(ARRAY[0, 1], ARRAY[5, 43200]) AS u(__asof_w, __asof_n)
              WHERE "user_id" IS NOT NULL AND __asof_t IS NOT NULL
            )
          )
        )
      )
      CROSS JOIN UNNEST(ARRAY[ROW(1, __asof_a, __asof_h), ROW(60, __asof_h / 60, __asof_d / 60), ROW(1440, __asof_d / 1440, __asof_dt / 1440), ROW(60, __asof_dt / 60, __asof_ht / 60), ROW(1, __asof_ht, __asof_b)]) AS g(__asof_l, __asof_lo, __asof_hi)
      WHERE g.__asof_lo < g.__asof_hi
    )
    CROSS JOIN UNNEST(sequence(__asof_lo, __asof_hi - 1)) AS s(__asof_i)
  ),
  extremes4 AS (
    SELECT "user_id", __asof_t,
      min(CASE WHEN __asof_w = 0 THEN __asof_r0 END) AS "__asof_s0_w0",
      min(CASE WHEN __asof_w = 1 THEN __asof_r0 END) AS "__asof_s0_w1",
      max(CASE WHEN __asof_w = 0 THEN __asof_r1 END) AS "__asof_s1_w0",
      max(CASE WHEN __asof_w = 1 THEN __asof_r1 END) AS "__asof_s1_w1"
    FROM (
      SELECT "user_id", __asof_t, __asof_w, __asof_kind,
        min("__asof_x0") OVER (PARTITION BY "user_id", __asof_l, __asof_i ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS __asof_r0,
        max("__asof_x0") OVER (PARTITION BY "user_id", __asof_l, __asof_i ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS __asof_r1
      FROM (
        SELECT "user_id", __asof_l, (date_diff('minute', TIMESTAMP '1970-01-01 00:00:00', __asof_m) - mod(mod(date_diff('minute', TIMESTAMP '1970-01-01 00:00:00', __asof_m), __asof_l) + __asof_l, __asof_l)) / __asof_l AS __asof_i, __asof_v AS __asof_t, 0 AS __asof_kind, CAST(NULL AS integer) AS __asof_w, "__asof_x0"
        FROM events4
        CROSS JOIN UNNEST(ARRAY[1, 60, 1440]) AS u(__asof_l)
        UNION ALL
        SELECT "user_id", __asof_l, __asof_i, __asof_t, 1, __asof_w, NULL
        FROM covers4
      )
    )
    WHERE __asof_kind = 1
    GROUP BY "user_id", __asof_t
  ),
  found4 AS (
    SELECT r."user_id", r.__asof_t,
      CAST("__asof_s1_w1" - "__asof_s0_w1" AS integer) AS "dwell_range_30d",
      CAST("__asof_s0_w0" AS integer) AS "shortest_5m",
      CAST("__asof_s2_w1" * 1E0 / "__asof_s3_w1" AS double) AS "articles_per_category_30d"
    FROM (
      SELECT "user_id", __asof_t, __asof_kind,
        coalesce(sum("__asof_s2_w0") OVER (PARTITION BY "user_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s2_w0",
        coalesce(sum("__asof_s3_w0") OVER (PARTITION BY "user_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s3_w0",
        coalesce(sum("__asof_s2_w1") OVER (PARTITION BY "user_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s2_w1",
        coalesce(sum("__asof_s3_w1") OVER (PARTITION BY "user_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s3_w1"
      FROM (
        SELECT "user_id", d.__asof_t, 0 AS __asof_kind, CAST(CASE __asof_w WHEN 0 THEN __asof_d END AS bigint) AS "__asof_s2_w0", CAST(NULL AS bigint) AS "__asof_s3_w0", CAST(CASE __asof_w WHEN 1 THEN __asof_d END AS bigint) AS "__asof_s2_w1", CAST(NULL AS bigint) AS "__asof_s3_w1"
        FROM (
          SELECT "user_id", __asof_w, min(__asof_v) AS __asof_from, max(__asof_to) AS __asof_to
          FROM (
            SELECT "user_id", __asof_x, __asof_w, __asof_v, __asof_to,
              sum(__asof_new) OVER (PARTITION BY "user_id", __asof_x, __asof_w ORDER BY __asof_v, __asof_to ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS __asof_island
            FROM (
              SELECT "user_id", __asof_x, __asof_w, __asof_v, __asof_to,
                CASE WHEN __asof_v <= max(__asof_to) OVER (PARTITION BY "user_id", __asof_x, __asof_w ORDER BY __asof_v, __asof_to ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) THEN 0 ELSE 1 END AS __asof_new
              FROM (
                SELECT "user_id", "__asof_x1" AS __asof_x, u.__asof_w, __asof_v, CASE u.__asof_w WHEN 0 THEN __asof_m + INTERVAL '6' MINUTE WHEN 1 THEN __asof_m + INTERVAL '43201' MINUTE END AS __asof_to
                FROM events4
                CROSS JOIN UNNEST(ARRAY[0, 1]) AS u(__asof_w)
                WHERE "__asof_x1" IS NOT NULL
              )
              WHERE __asof_v < __asof_to
            )
          )
          GROUP BY "user_id", __asof_x, __asof_w, __asof_island
        )
        CROSS JOIN UNNEST(ARRAY[__asof_from, __asof_to], ARRAY[1, -1]) AS d(__asof_t, __asof_d)
        UNION ALL
        SELECT "user_id", d.__asof_t, 0 AS __asof_kind, CAST(NULL AS bigint) AS "__asof_s2_w0", CAST(CASE __asof_w WHEN 0 THEN __asof_d END AS bigint) AS "__asof_s3_w0", CAST(NULL AS bigint) AS "__asof_s2_w1", CAST(CASE __asof_w WHEN 1 THEN __asof_d END AS bigint) AS "__asof_s3_w1"
        FROM (
          SELECT "user_id", __asof_w, min(__asof_v) AS __asof_from, max(__asof_to) AS __asof_to
          FROM (
            SELECT "user_id", __asof_x, __asof_w, __asof_v, __asof_to,
              sum(__asof_new) OVER (PARTITION BY "user_id", __asof_x, __asof_w ORDER BY __asof_v, __asof_to ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS __asof_island
            FROM (
              SELECT "user_id", __asof_x, __asof_w, __asof_v, __asof_to,
                CASE WHEN __asof_v <= max(__asof_to) OVER (PARTITION BY "user_id", __asof_x, __asof_w ORDER BY __asof_v, __asof_to ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) THEN 0 ELSE 1 END AS __asof_new
              FROM (
                SELECT "user_id", "__asof_x2" AS __asof_x, u.__asof_w, __asof_v, CASE u.__asof_w WHEN 0 THEN __asof_m + INTERVAL '6' MINUTE WHEN 1 THEN __asof_m + INTERVAL '43201' MINUTE END AS __asof_to
                FROM events4
                CROSS JOIN UNNEST(ARRAY[0, 1]) AS u(__asof_w)
                WHERE "__asof_x2" IS NOT NULL
              )
              WHERE __asof_v < __asof_to
            )
          )
          GROUP BY "user_id", __asof_x, __asof_w, __asof_island
        )
        CROSS JOIN UNNEST(ARRAY[__asof_from, __asof_to], ARRAY[1, -1]) AS d(__asof_t, __asof_d)
        UNION ALL
        SELECT "user_id", __asof_t, 1, NULL, NULL, NULL, NULL
        FROM probes4
      )
    ) AS r
    LEFT JOIN extremes4 AS x ON x."user_id" = r."user_id" AND x.__asof_t = r.__asof_t
    WHERE r.__asof_kind = 1
  ),
  probes5 AS (
    SELECT DISTINCT "user_id", "shown_at" AS __asof_t
    FROM spine
  ),
  events5 AS (
    SELECT v."user_id", v."__asof_e" AS __asof_v, date_trunc('minute', v."__asof_e") AS __asof_m, v."__asof_x0"
    FROM (
      SELECT "user_id" AS "user_id", "reacted_at" AS "__asof_e", "dwell_seconds" AS "__asof_x0"
      FROM "aggviews"."reactions"
    ) AS v
    JOIN (
      SELECT "user_id", min(__asof_t) AS __asof_lo, max(__asof_t) AS __asof_hi
      FROM probes5
      GROUP BY "user_id"
    ) AS k ON k."user_id" = v."user_id"
    WHERE v."__asof_e" <= k.__asof_hi
      AND v."__asof_e" >= date_trunc('minute', k.__asof_lo) - INTERVAL '43200' MINUTE
  ),
  found5 AS (
    SELECT "user_id", __asof_t,
      CAST("__asof_s0_w0" AS bigint) AS "read_total_1h",
      CAST("__asof_s0_w1" AS bigint) AS "read_total_30d",
      CAST(CASE WHEN "__asof_s1_w0" > 0 THEN "__asof_s2_w0" ELSE NULL END AS bigint) AS "dwell_1h",
      CAST(CASE WHEN "__asof_s1_w1" > 0 THEN "__asof_s2_w1" ELSE NULL END AS bigint) AS "dwell_30d"
    FROM (
      SELECT "user_id", __asof_p AS __asof_t,
        max(CASE WHEN __asof_kind = 1 THEN __asof_c0 END) - max(CASE WHEN __asof_w = 0 THEN __asof_c0 END) AS "__asof_s0_w0",
        max(CASE WHEN __asof_kind = 1 THEN __asof_c0 END) - max(CASE WHEN __asof_w = 1 THEN __asof_c0 END) AS "__asof_s0_w1",
        max(CASE WHEN __asof_kind = 1 THEN __asof_c1 END) - max(CASE WHEN __asof_w = 0 THEN __asof_c1 END) AS "__asof_s1_w0",
        max(CASE WHEN __asof_kind = 1 THEN __asof_c1 END) - max(CASE WHEN __asof_w = 1 THEN __asof_c1 END) AS "__asof_s1_w1",
        max(CASE WHEN __asof_kind = 1 THEN __asof_c2 END) - max(CASE WHEN __asof_w = 0 THEN __asof_c2 END) AS "__asof_s2_w0",
        max(CASE WHEN __asof_kind = 1 THEN __asof_c2 END) - max(CASE WHEN __asof_w = 1 THEN __asof_c2 END) AS "__asof_s2_w1"
      FROM (
        SELECT "user_id", __asof_p, __asof_kind, __asof_w,
          coalesce(sum(__asof_a0) OVER (PARTITION BY crc32(to_utf8(CAST("user_id" AS varchar))) % 1024 ORDER BY "user_id", __asof_o, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS __asof_c0,
          coalesce(sum(__asof_a1) OVER (PARTITION BY crc32(to_utf8(CAST("user_id" AS varchar))) % 1024 ORDER BY "user_id", __asof_o, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS __asof_c1,
          coalesce(sum(__asof_a2) OVER (PARTITION BY crc32(to_utf8(CAST("user_id" AS varchar))) % 1024 ORDER BY "user_id", __asof_o, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS __asof_c2
        FROM (
          SELECT "user_id", __asof_v AS __asof_o, 0 AS __asof_kind, NULL AS __asof_p, CAST(NULL AS integer) AS __asof_w, 1 AS __asof_a0, CASE WHEN "__asof_x0" IS NOT NULL THEN 1 ELSE 0 END AS __asof_a1, "__asof_x0" AS __asof_a2
          FROM events5
          UNION ALL
          SELECT "user_id", CASE u.__asof_w WHEN 0 THEN date_trunc('minute', __asof_t) - INTERVAL '60' MINUTE WHEN 1 THEN date_trunc('minute', __asof_t) - INTERVAL '43200' MINUTE END, -1, __asof_t, u.__asof_w, NULL, NULL, NULL
          FROM probes5
          CROSS JOIN UNNEST(ARRAY[0, 1]) AS u(__asof_w)
          UNION ALL
          SELECT "user_id", __asof_t, 1, __asof_t, NULL, NULL, NULL, NULL
          FROM probes5
        )
      )
      WHERE __asof_kind <> 0
      GROUP BY "user_id", __asof_p
    )
  ),
  probes6 AS (
    SELECT DISTINCT "user_id", "shown_at" AS __asof_t
    FROM spine
  ),
  events6 AS (
    SELECT v."user_id", v."__asof_e" AS __asof_v, date_trunc('minute', v."__asof_e") AS __asof_m, v."__asof_x0", v."__asof_x1"
    FROM (
      SELECT "user_id" AS "user_id", "reacted_at" AS "__asof_e", "dwell_seconds" * 1E0 AS "__asof_x0", "dwell_seconds" AS "__asof_x1"
      FROM "aggviews"."reactions"
    ) AS v
    JOIN (
      SELECT "user_id", min(__asof_t) AS __asof_lo, max(__asof_t) AS __asof_hi
      FROM probes6
      GROUP BY "user_id"
    ) AS k ON k."user_id" = v."user_id"
    WHERE v."__asof_e" <= k.__asof_hi
      AND v."__asof_e" >= date_trunc('minute', k.__asof_lo) - INTERVAL '60' MINUTE
  ),
  covers6 AS (
    SELECT "user_id", __asof_t, __asof_w, __asof_l, __asof_i
    FROM (
      SELECT "user_id", __asof_t, __asof_w, g.__asof_l, g.__asof_lo, g.__asof_hi
      FROM (
        SELECT "user_id", __asof_t, __asof_w, __asof_a, __asof_b, __asof_h, __asof_d, CASE WHEN (__asof_h < __asof_b AND __asof_h + mod(mod(-__asof_h, 1440) + 1440, 1440) + 1440 <= __asof_b) THEN __asof_d + 1440 * ((__asof_b - __asof_d) / 1440) ELSE __asof_d END AS __asof_dt, CASE WHEN __asof_h = __asof_b THEN __asof_b ELSE __asof_b - mod(mod(__asof_b, 60) + 60, 60) END AS __asof_ht
        FROM (
          SELECT "user_id", __asof_t, __asof_w, __asof_a, __asof_b, __asof_h, CASE WHEN __asof_h = __asof_b THEN __asof_b WHEN (__asof_h < __asof_b AND __asof_h + mod(mod(-__asof_h, 1440) + 1440, 1440) + 1440 <= __asof_b) THEN __asof_h + mod(mod(-__asof_h, 1440) + 1440, 1440) ELSE __asof_b - mod(mod(__asof_b, 60) + 60, 60) END AS __asof_d
          FROM (
            SELECT "user_id", __asof_t, __asof_w, __asof_a, __asof_b, CASE WHEN __asof_a + mod(mod(-__asof_a, 60) + 60, 60) + 60 <= __asof_b THEN __asof_a + mod(mod(-__asof_a, 60) + 60, 60) ELSE __asof_b END AS __asof_h
            FROM (
              SELECT "user_id", __asof_t, u.__asof_w, date_diff('minute', TIMESTAMP '1970-01-01 00:00:00', date_trunc('minute', __asof_t)) - u.__asof_n AS __asof_a, date_diff('minute', TIMESTAMP '1970-01-01 00:00:00', date_trunc('minute', __asof_t)) + 1 AS __asof_b
              FROM probes6
              CROSS JOIN UNNEST(ARRAY[0], ARRAY[60]) AS u(__asof_w, __asof_n)
              WHERE "user_id" IS NOT NULL AND __asof_t IS NOT NULL
            )
          )
        )
      )
      CROSS JOIN UNNEST(ARRAY[ROW(1, __asof_a, __asof_h), ROW(60, __asof_h / 60, __asof_d / 60), ROW(1440, __asof_d / 1440, __asof_dt / 1440), ROW(60, __asof_dt / 60, __asof_ht / 60), ROW(1, __asof_ht, __asof_b)]) AS g(__asof_l, __asof_lo, __asof_hi)
      WHERE g.__asof_lo < g.__asof_hi
    )
    CROSS JOIN UNNEST(sequence(__asof_lo, __asof_hi - 1)) AS s(__asof_i)
  ),
  extremes6 AS (
    SELECT "user_id", __asof_t,
      max(CASE WHEN __asof_w = 0 THEN __asof_r2 END) AS "__asof_s2_w0"
    FROM (
      SELECT "user_id", __asof_t, __asof_w, __asof_kind,
        max("__asof_x1") OVER (PARTITION BY "user_id", __asof_l, __asof_i ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS __asof_r2
      FROM (
        SELECT "user_id", __asof_l, (date_diff('minute', TIMESTAMP '1970-01-01 00:00:00', __asof_m) - mod(mod(date_diff('minute', TIMESTAMP '1970-01-01 00:00:00', __asof_m), __asof_l) + __asof_l, __asof_l)) / __asof_l AS __asof_i, __asof_v AS __asof_t, 0 AS __asof_kind, CAST(NULL AS integer) AS __asof_w, "__asof_x1"
        FROM events6
        CROSS JOIN UNNEST(ARRAY[1, 60, 1440]) AS u(__asof_l)
        UNION ALL
        SELECT "user_id", __asof_l, __asof_i, __asof_t, 1, __asof_w, NULL
        FROM covers6
      )
    )
    WHERE __asof_kind = 1
    GROUP BY "user_id", __asof_t
  ),
  found6 AS (
    SELECT r."user_id", r.__asof_t,
      CAST(CASE WHEN "__asof_s0_w0" > 0 THEN CAST("__asof_s1_w0" AS DOUBLE) / "__asof_s0_w0" ELSE NULL END AS double) AS "avg_dwell_1h",
      CAST("__asof_s2_w0" AS integer) AS "longest_1h"
    FROM (
      SELECT "user_id", __asof_p AS __asof_t,
        max(CASE WHEN __asof_kind = 1 THEN __asof_c0 END) - max(CASE WHEN __asof_w = 0 THEN __asof_c0 END) AS "__asof_s0_w0",
        max(CASE WHEN __asof_kind = 1 THEN __asof_c1 END) - max(CASE WHEN __asof_w = 0 THEN __asof_c1 END) AS "__asof_s1_w0"
      FROM (
        SELECT "user_id", __asof_p, __asof_kind, __asof_w,
          coalesce(sum(__asof_a0) OVER (PARTITION BY "user_id" ORDER BY "user_id", __asof_o, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS __asof_c0,
          coalesce(sum(__asof_a1) OVER (PARTITION BY "user_id" ORDER BY "user_id", __asof_o, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS __asof_c1
        FROM (
          SELECT "user_id", __asof_v AS __asof_o, 0 AS __asof_kind, NULL AS __asof_p, CAST(NULL AS integer) AS __asof_w, CASE WHEN "__asof_x0" IS NOT NULL THEN 1 ELSE 0 END AS __asof_a0, "__asof_x0" AS __asof_a1
          FROM events6
          UNION ALL
          SELECT "user_id", CASE u.__asof_w WHEN 0 THEN date_trunc('minute', __asof_t) - INTERVAL '60' MINUTE END, -1, __asof_t, u.__asof_w, NULL, NULL
          FROM probes6
          CROSS JOIN UNNEST(ARRAY[0]) AS u(__asof_w)
          UNION ALL
          SELECT "user_id", __asof_t, 1, __asof_t, NULL, NULL, NULL
          FROM probes6
        )
      )
      WHERE __asof_kind <> 0
      GROUP BY "user_id", __asof_p
    ) AS r
    LEFT JOIN extremes6 AS x ON x."user_id" = r."user_id" AND x.__asof_t = r.__asof_t
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
  f2."longest_90m" AS "longest_90m",
  f2."longest_7d" AS "longest_7d",
  f2."articles_90m" AS "articles_90m",
  f2."articles_7d" AS "articles_7d",
  f3."last_article" AS "last_article",
  f4."dwell_range_30d" AS "dwell_range_30d",
  f4."shortest_5m" AS "shortest_5m",
  f4."articles_per_category_30d" AS "articles_per_category_30d",
  f5."read_total_1h" AS "read_total_1h",
  f5."read_total_30d" AS "read_total_30d",
  f5."dwell_1h" AS "dwell_1h",
  f5."dwell_30d" AS "dwell_30d",
  f6."avg_dwell_1h" AS "avg_dwell_1h",
  f6."longest_1h" AS "longest_1h"
FROM spine s
LEFT JOIN found1 f1
  ON f1."user_id" = s."user_id" AND f1.__asof_t = s."shown_at"
LEFT JOIN found2 f2
  ON f2."user_id" = s."user_id" AND f2."category" = s."category" AND f2.__asof_t = s."shown_at"
LEFT JOIN found3 f3
  ON f3."user_id" = s."user_id" AND f3.__asof_t = s."shown_at"
LEFT JOIN found4 f4
  ON f4."user_id" = s."user_id" AND f4.__asof_t = s."shown_at"
LEFT JOIN found5 f5
  ON f5."user_id" = s."user_id" AND f5.__asof_t = s."shown_at"
LEFT JOIN found6 f6
  ON f6."user_id" = s."user_id" AND f6.__asof_t = s."shown_at"
