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
  rows1 AS (
    SELECT v."user_id", v."event_ts", v."ingested_at", v."reads_7d", v."dwell_seconds_7d", v."reads_30d", v."likes_30d"
    FROM (
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
        w30 AS (PARTITION BY user_id ORDER BY reacted_at RANGE BETWEEN INTERVAL '30' DAY PRECEDING AND CURRENT ROW)
    ) AS v
    JOIN (
      SELECT "user_id", min("shown_at") AS __asof_lo, max("shown_at") AS __asof_hi
      FROM spine
      GROUP BY "user_id"
    ) AS k ON k."user_id" = v."user_id"
    WHERE v."event_ts" <= k.__asof_hi
      AND v."event_ts" > k.__asof_lo - INTERVAL '30' DAY
  ),
  found1 AS (
    SELECT "user_id", __asof_t, __asof_v
    FROM (
      SELECT "user_id", __asof_t, __asof_kind,
        max_by(__asof_r, __asof_rank) OVER (
          PARTITION BY "user_id"
          ORDER BY __asof_t, __asof_kind
          ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS __asof_v
      FROM (
        SELECT "user_id", 1 AS __asof_kind, __asof_t, CAST(NULL AS bigint) AS __asof_rank, CAST(NULL AS row(__asof_t timestamp(6), __asof_e timestamp(6), "reads_7d" bigint, "dwell_seconds_7d" bigint, "reads_30d" bigint, "likes_30d" bigint)) AS __asof_r
        FROM probes1
        UNION ALL
        SELECT "user_id", 0, greatest("event_ts", coalesce("ingested_at", "event_ts")), __asof_rank, CAST(ROW("event_ts", "event_ts", "reads_7d", "dwell_seconds_7d", "reads_30d", "likes_30d") AS row(__asof_t timestamp(6), __asof_e timestamp(6), "reads_7d" bigint, "dwell_seconds_7d" bigint, "reads_30d" bigint, "likes_30d" bigint))
        FROM (SELECT *, row_number() OVER (PARTITION BY "user_id" ORDER BY "event_ts", "ingested_at" ASC NULLS FIRST, "reads_7d" ASC NULLS FIRST, "dwell_seconds_7d" ASC NULLS FIRST, "reads_30d" ASC NULLS FIRST, "likes_30d" ASC NULLS FIRST) AS __asof_rank FROM rows1)
      )
    )
    WHERE __asof_kind = 1
  ),
  rows2 AS (
    SELECT v."article_id", v."event_ts", v."reads_1h", v."reads_1d", v."avg_dwell_seconds_1d"
    FROM (
      SELECT
        article_id,
        reacted_at AS event_ts,
        count(*) OVER (PARTITION BY article_id ORDER BY reacted_at RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW) AS reads_1h,
        count(*) OVER w1d AS reads_1d,
        avg(dwell_seconds) OVER w1d AS avg_dwell_seconds_1d
      FROM dwh.reactions
      WINDOW w1d AS (PARTITION BY article_id ORDER BY reacted_at RANGE BETWEEN INTERVAL '1' DAY PRECEDING AND CURRENT ROW)
    ) AS v
    JOIN (
      SELECT "article_id", min("shown_at") AS __asof_lo, max("shown_at") AS __asof_hi
      FROM spine
      GROUP BY "article_id"
    ) AS k ON k."article_id" = v."article_id"
    WHERE v."event_ts" <= k.__asof_hi
      AND v."event_ts" > k.__asof_lo - INTERVAL '7' DAY
  ),
  ranges2 AS (
    SELECT "article_id", "event_ts" AS __asof_from,
      lead("event_ts") OVER (PARTITION BY "article_id" ORDER BY "event_ts", "reads_1h" ASC NULLS FIRST, "reads_1d" ASC NULLS FIRST, "avg_dwell_seconds_1d" ASC NULLS FIRST) AS __asof_to,
      "reads_1h", "reads_1d", "avg_dwell_seconds_1d"
    FROM rows2
  ),
  rows3 AS (
    SELECT v."article_id", v."event_ts", v."ctr_7d", v."impressions_1d", v."ctr_1d"
    FROM (
      WITH daily AS (
        SELECT
          article_id,
          date_trunc('day', shown_at) AS shown_day,
          count(*) AS impressions,
          count_if(clicked) AS clicks
        FROM dwh.impressions
        GROUP BY article_id, date_trunc('day', shown_at)
      )
      SELECT
        article_id,
        shown_day + INTERVAL '1' DAY AS event_ts,
        impressions AS impressions_1d,
        CAST(clicks AS double) / impressions AS ctr_1d,
        CAST(sum(clicks) OVER w7 AS double) / sum(impressions) OVER w7 AS ctr_7d
      FROM daily
      WINDOW w7 AS (PARTITION BY article_id ORDER BY shown_day RANGE BETWEEN INTERVAL '6' DAY PRECEDING AND CURRENT ROW)
    ) AS v
    JOIN (
      SELECT "article_id", min("shown_at") AS __asof_lo, max("shown_at") AS __asof_hi
      FROM spine
      GROUP BY "article_id"
    ) AS k ON k."article_id" = v."article_id"
    WHERE v."event_ts" <= k.__asof_hi
      AND v."event_ts" > k.__asof_lo - INTERVAL '14' DAY
  ),
  ranges3 AS (
    SELECT "article_id", "event_ts" AS __asof_from,
      lead("event_ts") OVER (PARTITION BY "article_id" ORDER BY "event_ts", "impressions_1d" ASC NULLS FIRST, "ctr_1d" ASC NULLS FIRST, "ctr_7d" ASC NULLS FIRST) AS __asof_to,
      "ctr_7d"
    FROM rows3
  ),
  rows4 AS (
    SELECT v."user_id", v."category", v."event_ts", v."clicks_30d", v."dwell_seconds_30d"
    FROM (
      SELECT
        r.user_id,
        a.category,
        r.reacted_at AS event_ts,
        count(*) OVER w30 AS clicks_30d,
        sum(r.dwell_seconds) OVER w30 AS dwell_seconds_30d
      FROM dwh.reactions r
      JOIN dwh.articles a ON a.article_id = r.article_id
      WINDOW w30 AS (PARTITION BY r.user_id, a.category ORDER BY r.reacted_at RANGE BETWEEN INTERVAL '30' DAY PRECEDING AND CURRENT ROW)
    ) AS v
    JOIN (
      SELECT "user_id", "category", min("shown_at") AS __asof_lo, max("shown_at") AS __asof_hi
      FROM spine
      GROUP BY "user_id", "category"
    ) AS k ON k."user_id" = v."user_id" AND k."category" = v."category"
    WHERE v."event_ts" <= k.__asof_hi
      AND v."event_ts" > k.__asof_lo - INTERVAL '60' DAY
  ),
  ranges4 AS (
    SELECT "user_id", "category", "event_ts" AS __asof_from,
      lead("event_ts") OVER (PARTITION BY "user_id", "category" ORDER BY "event_ts", "clicks_30d" ASC NULLS FIRST, "dwell_seconds_30d" ASC NULLS FIRST) AS __asof_to,
      "clicks_30d"
    FROM rows4
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
  CASE WHEN f1.__asof_v.__asof_t > f1.__asof_t - INTERVAL '30' DAY THEN f1.__asof_v."reads_7d" END AS "reads_7d",
  CASE WHEN f1.__asof_v.__asof_t > f1.__asof_t - INTERVAL '30' DAY THEN f1.__asof_v."dwell_seconds_7d" END AS "dwell_seconds_7d",
  CASE WHEN f1.__asof_v.__asof_t > f1.__asof_t - INTERVAL '30' DAY THEN f1.__asof_v."reads_30d" END AS "reads_30d",
  CASE WHEN f1.__asof_v.__asof_t > f1.__asof_t - INTERVAL '30' DAY THEN f1.__asof_v."likes_30d" END AS "likes_30d",
  f2."reads_1h" AS "reads_1h",
  f2."reads_1d" AS "reads_1d",
  f2."avg_dwell_seconds_1d" AS "avg_dwell_seconds_1d",
  f3."ctr_7d" AS "ctr_7d",
  f4."clicks_30d" AS "clicks_30d",
  f5."is_premium" AS "is_premium",
  f6."word_count" AS "word_count"
FROM spine s
LEFT JOIN found1 f1
  ON f1."user_id" = s."user_id" AND f1.__asof_t = s."shown_at"
LEFT JOIN ranges2 f2
  ON f2."article_id" = s."article_id"
  AND f2.__asof_from <= s."shown_at"
  AND coalesce(s."shown_at" < f2.__asof_to, true)
  AND f2.__asof_from > s."shown_at" - INTERVAL '7' DAY
LEFT JOIN ranges3 f3
  ON f3."article_id" = s."article_id"
  AND f3.__asof_from <= s."shown_at"
  AND coalesce(s."shown_at" < f3.__asof_to, true)
  AND f3.__asof_from > s."shown_at" - INTERVAL '14' DAY
LEFT JOIN ranges4 f4
  ON f4."user_id" = s."user_id"
  AND f4."category" = s."category"
  AND f4.__asof_from <= s."shown_at"
  AND coalesce(s."shown_at" < f4.__asof_to, true)
  AND f4.__asof_from > s."shown_at" - INTERVAL '60' DAY
LEFT JOIN ranges5 f5
  ON f5."user_id" = s."user_id"
  AND f5.__asof_from <= s."shown_at"
  AND coalesce(s."shown_at" < f5.__asof_to, true)
LEFT JOIN ranges6 f6
  ON f6."article_id" = s."article_id"
  AND f6.__asof_from <= s."shown_at"
  AND coalesce(s."shown_at" < f6.__asof_to, true)
