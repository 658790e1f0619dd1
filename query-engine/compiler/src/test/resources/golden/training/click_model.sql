WITH
  spine AS (
    SELECT
      i.impression_id,
      i.user_id,
      i.article_id,
      a.category,
      i.shown_at,
      i.position,
      i.clicked
    FROM dwh.impressions i
    JOIN dwh.articles a ON a.article_id = i.article_id
  ),
  probes1 AS (
    SELECT DISTINCT "user_id", "shown_at" AS __asof_t
    FROM spine
  ),
  events1 AS (
    SELECT v."user_id", greatest(v."__asof_e", coalesce(v."__asof_c", v."__asof_e")) AS __asof_v, date_trunc('minute', v."__asof_e") AS __asof_m, v."__asof_x0", v."__asof_x1"
    FROM (
      SELECT "user_id" AS "user_id", "reacted_at" AS "__asof_e", "ingested_at" AS "__asof_c", "dwell_seconds" AS "__asof_x0", "liked" AS "__asof_x1"
      FROM "dwh"."reactions"
    ) AS v
    JOIN (
      SELECT "user_id", min(__asof_t) AS __asof_lo, max(__asof_t) AS __asof_hi
      FROM probes1
      GROUP BY "user_id"
    ) AS k ON k."user_id" = v."user_id"
    WHERE v."__asof_e" <= k.__asof_hi
      AND v."__asof_e" >= date_trunc('minute', k.__asof_lo) - INTERVAL '43200' MINUTE
  ),
  found1 AS (
    SELECT "user_id", __asof_t,
      CAST("__asof_s0_w0" AS bigint) AS "reads_7d",
      CAST("__asof_s0_w1" AS bigint) AS "reads_30d",
      CAST(CASE WHEN "__asof_s1_w0" > 0 THEN "__asof_s2_w0" ELSE NULL END AS bigint) AS "dwell_seconds_7d",
      CAST(CASE WHEN "__asof_s1_w1" > 0 THEN "__asof_s2_w1" ELSE NULL END AS bigint) AS "dwell_seconds_30d",
      CAST("__asof_s3_w0" AS bigint) AS "likes_7d",
      CAST("__asof_s3_w1" AS bigint) AS "likes_30d"
    FROM (
      SELECT "user_id", __asof_t, __asof_kind,
        coalesce(sum("__asof_s0_w0") OVER (PARTITION BY "user_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s0_w0",
        coalesce(sum("__asof_s1_w0") OVER (PARTITION BY "user_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s1_w0",
        sum("__asof_s2_w0") OVER (PARTITION BY "user_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "__asof_s2_w0",
        coalesce(sum("__asof_s3_w0") OVER (PARTITION BY "user_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s3_w0",
        coalesce(sum("__asof_s0_w1") OVER (PARTITION BY "user_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s0_w1",
        coalesce(sum("__asof_s1_w1") OVER (PARTITION BY "user_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s1_w1",
        sum("__asof_s2_w1") OVER (PARTITION BY "user_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "__asof_s2_w1",
        coalesce(sum("__asof_s3_w1") OVER (PARTITION BY "user_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s3_w1"
      FROM (
        SELECT "user_id", __asof_v AS __asof_t, 0 AS __asof_kind, CASE WHEN __asof_v < __asof_m + INTERVAL '10081' MINUTE THEN 1 END AS "__asof_s0_w0", CASE WHEN __asof_v < __asof_m + INTERVAL '10081' MINUTE THEN CASE WHEN "__asof_x0" IS NOT NULL THEN 1 ELSE 0 END END AS "__asof_s1_w0", CASE WHEN __asof_v < __asof_m + INTERVAL '10081' MINUTE THEN "__asof_x0" END AS "__asof_s2_w0", CASE WHEN __asof_v < __asof_m + INTERVAL '10081' MINUTE THEN CASE WHEN "__asof_x1" THEN 1 ELSE 0 END END AS "__asof_s3_w0", CASE WHEN __asof_v < __asof_m + INTERVAL '43201' MINUTE THEN 1 END AS "__asof_s0_w1", CASE WHEN __asof_v < __asof_m + INTERVAL '43201' MINUTE THEN CASE WHEN "__asof_x0" IS NOT NULL THEN 1 ELSE 0 END END AS "__asof_s1_w1", CASE WHEN __asof_v < __asof_m + INTERVAL '43201' MINUTE THEN "__asof_x0" END AS "__asof_s2_w1", CASE WHEN __asof_v < __asof_m + INTERVAL '43201' MINUTE THEN CASE WHEN "__asof_x1" THEN 1 ELSE 0 END END AS "__asof_s3_w1"
        FROM events1
        UNION ALL
        SELECT "user_id", CASE __asof_i WHEN 1 THEN __asof_m + INTERVAL '10081' MINUTE WHEN 2 THEN __asof_m + INTERVAL '43201' MINUTE END, 0, CASE __asof_i WHEN 1 THEN -("__asof_s0_w0") END AS "__asof_s0_w0", CASE __asof_i WHEN 1 THEN -("__asof_s1_w0") END AS "__asof_s1_w0", CASE __asof_i WHEN 1 THEN -("__asof_s2_w0") END AS "__asof_s2_w0", CASE __asof_i WHEN 1 THEN -("__asof_s3_w0") END AS "__asof_s3_w0", CASE __asof_i WHEN 2 THEN -("__asof_s0_w1") END AS "__asof_s0_w1", CASE __asof_i WHEN 2 THEN -("__asof_s1_w1") END AS "__asof_s1_w1", CASE __asof_i WHEN 2 THEN -("__asof_s2_w1") END AS "__asof_s2_w1", CASE __asof_i WHEN 2 THEN -("__asof_s3_w1") END AS "__asof_s3_w1"
        FROM (
          SELECT "user_id", __asof_m, sum(CASE WHEN __asof_v < __asof_m + INTERVAL '10081' MINUTE THEN 1 END) AS "__asof_s0_w0", sum(CASE WHEN __asof_v < __asof_m + INTERVAL '10081' MINUTE THEN CASE WHEN "__asof_x0" IS NOT NULL THEN 1 ELSE 0 END END) AS "__asof_s1_w0", sum(CASE WHEN __asof_v < __asof_m + INTERVAL '10081' MINUTE THEN "__asof_x0" END) AS "__asof_s2_w0", sum(CASE WHEN __asof_v < __asof_m + INTERVAL '10081' MINUTE THEN CASE WHEN "__asof_x1" THEN 1 ELSE 0 END END) AS "__asof_s3_w0", sum(CASE WHEN __asof_v < __asof_m + INTERVAL '43201' MINUTE THEN 1 END) AS "__asof_s0_w1", sum(CASE WHEN __asof_v < __asof_m + INTERVAL '43201' MINUTE THEN CASE WHEN "__asof_x0" IS NOT NULL THEN 1 ELSE 0 END END) AS "__asof_s1_w1", sum(CASE WHEN __asof_v < __asof_m + INTERVAL '43201' MINUTE THEN "__asof_x0" END) AS "__asof_s2_w1", sum(CASE WHEN __asof_v < __asof_m + INTERVAL '43201' MINUTE THEN CASE WHEN "__asof_x1" THEN 1 ELSE 0 END END) AS "__asof_s3_w1"
          FROM events1
          GROUP BY "user_id", __asof_m
        )
        CROSS JOIN UNNEST(ARRAY[1, 2]) AS u(__asof_i)
        UNION ALL
        SELECT "user_id", __asof_t, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
        FROM probes1
      )
    )
    WHERE __asof_kind = 1
  ),
  probes2 AS (
    SELECT DISTINCT "article_id", "shown_at" AS __asof_t
    FROM spine
  ),
  events2 AS (
    SELECT v."article_id", greatest(v."__asof_e", coalesce(v."__asof_c", v."__asof_e")) AS __asof_v, date_trunc('minute', v."__asof_e") AS __asof_m, v."__asof_x0"
    FROM (
      SELECT "article_id" AS "article_id", "reacted_at" AS "__asof_e", "ingested_at" AS "__asof_c", "dwell_seconds" AS "__asof_x0"
      FROM "dwh"."reactions"
    ) AS v
    JOIN (
      SELECT "article_id", min(__asof_t) AS __asof_lo, max(__asof_t) AS __asof_hi
      FROM probes2
      GROUP BY "article_id"
    ) AS k ON k."article_id" = v."article_id"
    WHERE v."__asof_e" <= k.__asof_hi
      AND v."__asof_e" >= date_trunc('minute', k.__asof_lo) - INTERVAL '1440' MINUTE
  ),
  found2 AS (
    SELECT "article_id", __asof_t,
      CAST("__asof_s0_w0" AS bigint) AS "reads_1h",
      CAST("__asof_s0_w1" AS bigint) AS "reads_1d",
      CAST(CASE WHEN "__asof_s1_w0" > 0 THEN CAST("__asof_s2_w0" AS DOUBLE) / "__asof_s1_w0" ELSE NULL END AS double) AS "avg_dwell_seconds_1h",
      CAST(CASE WHEN "__asof_s1_w1" > 0 THEN CAST("__asof_s2_w1" AS DOUBLE) / "__asof_s1_w1" ELSE NULL END AS double) AS "avg_dwell_seconds_1d"
    FROM (
      SELECT "article_id", __asof_t, __asof_kind,
        coalesce(sum("__asof_s0_w0") OVER (PARTITION BY "article_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s0_w0",
        coalesce(sum("__asof_s1_w0") OVER (PARTITION BY "article_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s1_w0",
        sum("__asof_s2_w0") OVER (PARTITION BY "article_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "__asof_s2_w0",
        coalesce(sum("__asof_s0_w1") OVER (PARTITION BY "article_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s0_w1",
        coalesce(sum("__asof_s1_w1") OVER (PARTITION BY "article_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s1_w1",
        sum("__asof_s2_w1") OVER (PARTITION BY "article_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "__asof_s2_w1"
      FROM (
        SELECT "article_id", __asof_v AS __asof_t, 0 AS __asof_kind, CASE WHEN __asof_v < __asof_m + INTERVAL '61' MINUTE THEN 1 END AS "__asof_s0_w0", CASE WHEN __asof_v < __asof_m + INTERVAL '61' MINUTE THEN CASE WHEN "__asof_x0" IS NOT NULL THEN 1 ELSE 0 END END AS "__asof_s1_w0", CASE WHEN __asof_v < __asof_m + INTERVAL '61' MINUTE THEN "__asof_x0" END AS "__asof_s2_w0", CASE WHEN __asof_v < __asof_m + INTERVAL '1441' MINUTE THEN 1 END AS "__asof_s0_w1", CASE WHEN __asof_v < __asof_m + INTERVAL '1441' MINUTE THEN CASE WHEN "__asof_x0" IS NOT NULL THEN 1 ELSE 0 END END AS "__asof_s1_w1", CASE WHEN __asof_v < __asof_m + INTERVAL '1441' MINUTE THEN "__asof_x0" END AS "__asof_s2_w1"
        FROM events2
        UNION ALL
        SELECT "article_id", CASE __asof_i WHEN 1 THEN __asof_m + INTERVAL '61' MINUTE WHEN 2 THEN __asof_m + INTERVAL '1441' MINUTE END, 0, CASE __asof_i WHEN 1 THEN -("__asof_s0_w0") END AS "__asof_s0_w0", CASE __asof_i WHEN 1 THEN -("__asof_s1_w0") END AS "__asof_s1_w0", CASE __asof_i WHEN 1 THEN -("__asof_s2_w0") END AS "__asof_s2_w0", CASE __asof_i WHEN 2 THEN -("__asof_s0_w1") END AS "__asof_s0_w1", CASE __asof_i WHEN 2 THEN -("__asof_s1_w1") END AS "__asof_s1_w1", CASE __asof_i WHEN 2 THEN -("__asof_s2_w1") END AS "__asof_s2_w1"
        FROM (
          SELECT "article_id", __asof_m, sum(CASE WHEN __asof_v < __asof_m + INTERVAL '61' MINUTE THEN 1 END) AS "__asof_s0_w0", sum(CASE WHEN __asof_v < __asof_m + INTERVAL '61' MINUTE THEN CASE WHEN "__asof_x0" IS NOT NULL THEN 1 ELSE 0 END END) AS "__asof_s1_w0", sum(CASE WHEN __asof_v < __asof_m + INTERVAL '61' MINUTE THEN "__asof_x0" END) AS "__asof_s2_w0", sum(CASE WHEN __asof_v < __asof_m + INTERVAL '1441' MINUTE THEN 1 END) AS "__asof_s0_w1", sum(CASE WHEN __asof_v < __asof_m + INTERVAL '1441' MINUTE THEN CASE WHEN "__asof_x0" IS NOT NULL THEN 1 ELSE 0 END END) AS "__asof_s1_w1", sum(CASE WHEN __asof_v < __asof_m + INTERVAL '1441' MINUTE THEN "__asof_x0" END) AS "__asof_s2_w1"
          FROM events2
          GROUP BY "article_id", __asof_m
        )
        CROSS JOIN UNNEST(ARRAY[1, 2]) AS u(__asof_i)
        UNION ALL
        SELECT "article_id", __asof_t, 1, NULL, NULL, NULL, NULL, NULL, NULL
        FROM probes2
      )
    )
    WHERE __asof_kind = 1
  ),
  probes3 AS (
    SELECT DISTINCT "article_id", "shown_at" AS __asof_t
    FROM spine
  ),
  events3 AS (
    SELECT v."article_id", greatest(v."__asof_e", coalesce(v."__asof_c", v."__asof_e")) AS __asof_v, date_trunc('minute', v."__asof_e") AS __asof_m, v."__asof_x0"
    FROM (
      WITH "shown" AS (SELECT "article_id", "shown_at", "shown_at" + INTERVAL '30' MINUTE AS "outcome_known_at", "clicked"
          FROM "dwh"."impressions") SELECT "article_id" AS "article_id", "shown_at" AS "__asof_e", "outcome_known_at" AS "__asof_c", "clicked" AS "__asof_x0"
          FROM "shown"
    ) AS v
    JOIN (
      SELECT "article_id", min(__asof_t) AS __asof_lo, max(__asof_t) AS __asof_hi
      FROM probes3
      GROUP BY "article_id"
    ) AS k ON k."article_id" = v."article_id"
    WHERE v."__asof_e" <= k.__asof_hi
      AND v."__asof_e" >= date_trunc('minute', k.__asof_lo) - INTERVAL '10080' MINUTE
  ),
  found3 AS (
    SELECT "article_id", __asof_t,
      CAST("__asof_s1_w1" * 1E0 / NULLIF("__asof_s0_w1", 0) AS double) AS "ctr_7d"
    FROM (
      SELECT "article_id", __asof_t, __asof_kind,
        coalesce(sum("__asof_s0_w1") OVER (PARTITION BY "article_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s0_w1",
        coalesce(sum("__asof_s1_w1") OVER (PARTITION BY "article_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s1_w1"
      FROM (
        SELECT "article_id", __asof_v AS __asof_t, 0 AS __asof_kind, CASE WHEN __asof_v < __asof_m + INTERVAL '10081' MINUTE THEN 1 END AS "__asof_s0_w1", CASE WHEN __asof_v < __asof_m + INTERVAL '10081' MINUTE THEN CASE WHEN "__asof_x0" THEN 1 ELSE 0 END END AS "__asof_s1_w1"
        FROM events3
        UNION ALL
        SELECT "article_id", CASE __asof_i WHEN 2 THEN __asof_m + INTERVAL '10081' MINUTE END, 0, CASE __asof_i WHEN 2 THEN -("__asof_s0_w1") END AS "__asof_s0_w1", CASE __asof_i WHEN 2 THEN -("__asof_s1_w1") END AS "__asof_s1_w1"
        FROM (
          SELECT "article_id", __asof_m, sum(CASE WHEN __asof_v < __asof_m + INTERVAL '10081' MINUTE THEN 1 END) AS "__asof_s0_w1", sum(CASE WHEN __asof_v < __asof_m + INTERVAL '10081' MINUTE THEN CASE WHEN "__asof_x0" THEN 1 ELSE 0 END END) AS "__asof_s1_w1"
          FROM events3
          GROUP BY "article_id", __asof_m
        )
        CROSS JOIN UNNEST(ARRAY[2]) AS u(__asof_i)
        UNION ALL
        SELECT "article_id", __asof_t, 1, NULL, NULL
        FROM probes3
      )
    )
    WHERE __asof_kind = 1
  ),
  probes4 AS (
    SELECT DISTINCT "user_id", "category", "shown_at" AS __asof_t
    FROM spine
  ),
  events4 AS (
    SELECT v."user_id", v."category", greatest(v."__asof_e", coalesce(v."__asof_c", v."__asof_e")) AS __asof_v, date_trunc('minute', v."__asof_e") AS __asof_m, v."__asof_x0"
    FROM (
      SELECT "r"."user_id" AS "user_id", "a"."category" AS "category", "reacted_at" AS "__asof_e", "ingested_at" AS "__asof_c", "r"."dwell_seconds" AS "__asof_x0"
      FROM "dwh"."reactions" AS "r"
        INNER JOIN "dwh"."articles" AS "a" ON "a"."article_id" = "r"."article_id"
    ) AS v
    JOIN (
      SELECT "user_id", "category", min(__asof_t) AS __asof_lo, max(__asof_t) AS __asof_hi
      FROM probes4
      GROUP BY "user_id", "category"
    ) AS k ON k."user_id" = v."user_id" AND k."category" = v."category"
    WHERE v."__asof_e" <= k.__asof_hi
      AND v."__asof_e" >= date_trunc('minute', k.__asof_lo) - INTERVAL '43200' MINUTE
  ),
  found4 AS (
    SELECT "user_id", "category", __asof_t,
      CAST("__asof_s0_w0" AS bigint) AS "clicks_30d"
    FROM (
      SELECT "user_id", "category", __asof_t, __asof_kind,
        coalesce(sum("__asof_s0_w0") OVER (PARTITION BY "user_id", "category" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s0_w0",
        coalesce(sum("__asof_s1_w0") OVER (PARTITION BY "user_id", "category" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s1_w0",
        sum("__asof_s2_w0") OVER (PARTITION BY "user_id", "category" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "__asof_s2_w0"
      FROM (
        SELECT "user_id", "category", __asof_v AS __asof_t, 0 AS __asof_kind, CASE WHEN __asof_v < __asof_m + INTERVAL '43201' MINUTE THEN 1 END AS "__asof_s0_w0", CASE WHEN __asof_v < __asof_m + INTERVAL '43201' MINUTE THEN CASE WHEN "__asof_x0" IS NOT NULL THEN 1 ELSE 0 END END AS "__asof_s1_w0", CASE WHEN __asof_v < __asof_m + INTERVAL '43201' MINUTE THEN "__asof_x0" END AS "__asof_s2_w0"
        FROM events4
        UNION ALL
        SELECT "user_id", "category", CASE __asof_i WHEN 1 THEN __asof_m + INTERVAL '43201' MINUTE END, 0, CASE __asof_i WHEN 1 THEN -("__asof_s0_w0") END AS "__asof_s0_w0", CASE __asof_i WHEN 1 THEN -("__asof_s1_w0") END AS "__asof_s1_w0", CASE __asof_i WHEN 1 THEN -("__asof_s2_w0") END AS "__asof_s2_w0"
        FROM (
          SELECT "user_id", "category", __asof_m, sum(CASE WHEN __asof_v < __asof_m + INTERVAL '43201' MINUTE THEN 1 END) AS "__asof_s0_w0", sum(CASE WHEN __asof_v < __asof_m + INTERVAL '43201' MINUTE THEN CASE WHEN "__asof_x0" IS NOT NULL THEN 1 ELSE 0 END END) AS "__asof_s1_w0", sum(CASE WHEN __asof_v < __asof_m + INTERVAL '43201' MINUTE THEN "__asof_x0" END) AS "__asof_s2_w0"
          FROM events4
          GROUP BY "user_id", "category", __asof_m
        )
        CROSS JOIN UNNEST(ARRAY[1]) AS u(__asof_i)
        UNION ALL
        SELECT "user_id", "category", __asof_t, 1, NULL, NULL, NULL
        FROM probes4
      )
    )
    WHERE __asof_kind = 1
  ),
  rows5 AS (
    SELECT v."user_id", v."signup_at", v."is_premium", v."country", v."age_band"
    FROM (
      SELECT
        user_id,
        signup_at,
        country,
        age_band,
        is_premium
      FROM dwh.users
    ) AS v
    JOIN (
      SELECT "user_id", min("shown_at") AS __asof_lo, max("shown_at") AS __asof_hi
      FROM spine
      GROUP BY "user_id"
    ) AS k ON k."user_id" = v."user_id"
    WHERE v."signup_at" <= k.__asof_hi
  ),
  ranges5 AS (
    SELECT "user_id", "signup_at" AS __asof_from,
      lead("signup_at") OVER (PARTITION BY "user_id" ORDER BY "signup_at", "country" ASC NULLS FIRST, "age_band" ASC NULLS FIRST, "is_premium" ASC NULLS FIRST) AS __asof_to,
      "is_premium"
    FROM rows5
  ),
  rows6 AS (
    SELECT v."article_id", v."published_at", v."word_count", v."category"
    FROM (
      SELECT
        article_id,
        published_at,
        category,
        word_count
      FROM dwh.articles
    ) AS v
    JOIN (
      SELECT "article_id", min("shown_at") AS __asof_lo, max("shown_at") AS __asof_hi
      FROM spine
      GROUP BY "article_id"
    ) AS k ON k."article_id" = v."article_id"
    WHERE v."published_at" <= k.__asof_hi
  ),
  ranges6 AS (
    SELECT "article_id", "published_at" AS __asof_from,
      lead("published_at") OVER (PARTITION BY "article_id" ORDER BY "published_at", "category" ASC NULLS FIRST, "word_count" ASC NULLS FIRST) AS __asof_to,
      "word_count"
    FROM rows6
  )
SELECT
  s."impression_id",
  s."user_id",
  s."article_id",
  s."category",
  s."shown_at",
  s."position",
  s."clicked",
  f1."reads_7d" AS "reads_7d",
  f1."reads_30d" AS "reads_30d",
  f1."dwell_seconds_7d" AS "dwell_seconds_7d",
  f1."dwell_seconds_30d" AS "dwell_seconds_30d",
  f1."likes_7d" AS "likes_7d",
  f1."likes_30d" AS "likes_30d",
  f2."reads_1h" AS "reads_1h",
  f2."reads_1d" AS "reads_1d",
  f2."avg_dwell_seconds_1h" AS "avg_dwell_seconds_1h",
  f2."avg_dwell_seconds_1d" AS "avg_dwell_seconds_1d",
  f3."ctr_7d" AS "ctr_7d",
  f4."clicks_30d" AS "clicks_30d",
  f5."is_premium" AS "is_premium",
  f6."word_count" AS "word_count"
FROM spine s
LEFT JOIN found1 f1
  ON f1."user_id" = s."user_id" AND f1.__asof_t = s."shown_at"
LEFT JOIN found2 f2
  ON f2."article_id" = s."article_id" AND f2.__asof_t = s."shown_at"
LEFT JOIN found3 f3
  ON f3."article_id" = s."article_id" AND f3.__asof_t = s."shown_at"
LEFT JOIN found4 f4
  ON f4."user_id" = s."user_id" AND f4."category" = s."category" AND f4.__asof_t = s."shown_at"
LEFT JOIN ranges5 f5
  ON f5."user_id" = s."user_id"
  AND f5.__asof_from <= s."shown_at"
  AND coalesce(s."shown_at" < f5.__asof_to, true)
LEFT JOIN ranges6 f6
  ON f6."article_id" = s."article_id"
  AND f6.__asof_from <= s."shown_at"
  AND coalesce(s."shown_at" < f6.__asof_to, true)
