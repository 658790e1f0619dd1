WITH
  spine AS (
    SELECT DISTINCT v."user_id", v."__asof_e" AS "__asof_at"
    FROM (
      SELECT "user_id" AS "user_id", "ts" AS "__asof_e", "clicks" AS "__asof_x0"
      FROM "iceberg"."drift"."clicks_log"
    ) AS v
    WHERE v."user_id" IS NOT NULL
      AND v."__asof_e" >= TIMESTAMP '2026-03-31 10:15:00.000000' AND v."__asof_e" <= TIMESTAMP '2026-03-31 12:00:00.000000'
  ),
  probes1 AS (
    SELECT DISTINCT "user_id", "__asof_at" AS __asof_t
    FROM spine
  ),
  events1 AS (
    SELECT v."user_id", v."__asof_e" AS __asof_v, date_trunc('minute', v."__asof_e") AS __asof_m, v."__asof_x0"
    FROM (
      SELECT "user_id" AS "user_id", "ts" AS "__asof_e", "clicks" AS "__asof_x0"
      FROM "iceberg"."drift"."clicks_log"
    ) AS v
    JOIN (
      SELECT "user_id", min(__asof_t) AS __asof_lo, max(__asof_t) AS __asof_hi
      FROM probes1
      GROUP BY "user_id"
    ) AS k ON k."user_id" = v."user_id"
    WHERE v."__asof_e" <= k.__asof_hi
      AND v."__asof_e" >= date_trunc('minute', k.__asof_lo) - INTERVAL '1440' MINUTE
  ),
  found1 AS (
    SELECT "user_id", __asof_t,
      CAST("__asof_s0_w0" AS bigint) AS "events_1h",
      CAST("__asof_s1_w1" AS bigint) AS "clicks_1d"
    FROM (
      SELECT "user_id", __asof_t, __asof_kind,
        coalesce(sum("__asof_s0_w0") OVER (PARTITION BY "user_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s0_w0",
        sum("__asof_s1_w0") OVER (PARTITION BY "user_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "__asof_s1_w0",
        coalesce(sum("__asof_s0_w1") OVER (PARTITION BY "user_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS "__asof_s0_w1",
        sum("__asof_s1_w1") OVER (PARTITION BY "user_id" ORDER BY __asof_t, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "__asof_s1_w1"
      FROM (
        SELECT "user_id", __asof_v AS __asof_t, 0 AS __asof_kind, 1 AS "__asof_s0_w0", "__asof_x0" AS "__asof_s1_w0", 1 AS "__asof_s0_w1", "__asof_x0" AS "__asof_s1_w1"
        FROM events1
        UNION ALL
        SELECT "user_id", CASE __asof_i WHEN 1 THEN __asof_m + INTERVAL '61' MINUTE WHEN 2 THEN __asof_m + INTERVAL '1441' MINUTE END, 0, CASE __asof_i WHEN 1 THEN -("__asof_tile_s0") END AS "__asof_s0_w0", CASE __asof_i WHEN 1 THEN -("__asof_tile_s1") END AS "__asof_s1_w0", CASE __asof_i WHEN 2 THEN -("__asof_tile_s0") END AS "__asof_s0_w1", CASE __asof_i WHEN 2 THEN -("__asof_tile_s1") END AS "__asof_s1_w1"
        FROM (
          SELECT "user_id", __asof_m, sum(1) AS "__asof_tile_s0", sum("__asof_x0") AS "__asof_tile_s1"
          FROM events1
          GROUP BY "user_id", __asof_m
        )
        CROSS JOIN UNNEST(ARRAY[1, 2]) AS u(__asof_i)
        UNION ALL
        SELECT "user_id", __asof_t, 1, NULL, NULL, NULL, NULL
        FROM probes1
      )
    )
    WHERE __asof_kind = 1
  )
SELECT
  s."user_id",
  s."__asof_at",
  f1."events_1h" AS "events_1h",
  f1."clicks_1d" AS "clicks_1d"
FROM spine s
LEFT JOIN found1 f1
  ON f1."user_id" = s."user_id" AND f1.__asof_t = s."__asof_at"
