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
      SELECT "user_id", __asof_p AS __asof_t,
        max(CASE WHEN __asof_kind = 1 THEN __asof_c0 END) - max(CASE WHEN __asof_w = 0 THEN __asof_c0 END) AS "__asof_s0_w0",
        max(CASE WHEN __asof_kind = 1 THEN __asof_c0 END) - max(CASE WHEN __asof_w = 1 THEN __asof_c0 END) AS "__asof_s0_w1",
        max(CASE WHEN __asof_kind = 1 THEN __asof_c1 END) - max(CASE WHEN __asof_w = 0 THEN __asof_c1 END) AS "__asof_s1_w0",
        max(CASE WHEN __asof_kind = 1 THEN __asof_c1 END) - max(CASE WHEN __asof_w = 1 THEN __asof_c1 END) AS "__asof_s1_w1"
      FROM (
        SELECT "user_id", __asof_p, __asof_kind, __asof_w,
          coalesce(sum(__asof_a0) OVER (PARTITION BY crc32(to_utf8(CAST("user_id" AS varchar))) % 1024 ORDER BY "user_id", __asof_o, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS __asof_c0,
          coalesce(sum(__asof_a1) OVER (PARTITION BY crc32(to_utf8(CAST("user_id" AS varchar))) % 1024 ORDER BY "user_id", __asof_o, __asof_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS __asof_c1
        FROM (
          SELECT "user_id", __asof_v AS __asof_o, 0 AS __asof_kind, NULL AS __asof_p, CAST(NULL AS integer) AS __asof_w, 1 AS __asof_a0, "__asof_x0" AS __asof_a1
          FROM events1
          UNION ALL
          SELECT "user_id", CASE u.__asof_w WHEN 0 THEN date_trunc('minute', __asof_t) - INTERVAL '60' MINUTE WHEN 1 THEN date_trunc('minute', __asof_t) - INTERVAL '1440' MINUTE END, -1, __asof_t, u.__asof_w, NULL, NULL
          FROM probes1
          CROSS JOIN UNNEST(ARRAY[0, 1]) AS u(__asof_w)
          UNION ALL
          SELECT "user_id", __asof_t, 1, __asof_t, NULL, NULL, NULL
          FROM probes1
        )
      )
      WHERE __asof_kind <> 0
      GROUP BY "user_id", __asof_p
    )
  )
SELECT
  s."user_id",
  s."__asof_at",
  f1."events_1h" AS "events_1h",
  f1."clicks_1d" AS "clicks_1d"
FROM spine s
LEFT JOIN found1 f1
  ON f1."user_id" = s."user_id" AND f1.__asof_t = s."__asof_at"
