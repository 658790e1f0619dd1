WITH
  spine AS (
    SELECT
      o.orderkey,
      o.custkey,
      c.nationkey,
      CAST(o.orderdate AS timestamp(6)) AS ordered_at,
      o.orderpriority = '1-URGENT' AS urgent
    FROM tpch.sf1.orders o
    JOIN tpch.sf1.customer c ON c.custkey = o.custkey
  ),
  step0 AS (
    SELECT "orderkey", "custkey", "nationkey", "ordered_at", "urgent"
    FROM spine
  ),
  rows1 AS (
    SELECT v."custkey", v."event_ts", v."orders_90d", v."spend_90d", v."avg_order_value_365d"
    FROM (
      WITH daily AS (
        SELECT custkey, orderdate, count(*) AS orders, sum(CAST(totalprice AS decimal(12, 2))) AS spend
        FROM tpch.sf1.orders
        GROUP BY custkey, orderdate
      )
      SELECT
        custkey,
        CAST(orderdate AS timestamp(6)) + INTERVAL '1' DAY AS event_ts,
        sum(orders) OVER w90 AS orders_90d,
        sum(spend) OVER w90 AS spend_90d,
        sum(spend) OVER w365 / sum(orders) OVER w365 AS avg_order_value_365d
      FROM daily
      WINDOW
        w90 AS (PARTITION BY custkey ORDER BY orderdate RANGE BETWEEN INTERVAL '89' DAY PRECEDING AND CURRENT ROW),
        w365 AS (PARTITION BY custkey ORDER BY orderdate RANGE BETWEEN INTERVAL '364' DAY PRECEDING AND CURRENT ROW)
    ) AS v
    JOIN (
      SELECT "custkey", min("ordered_at") AS __asof_lo, max("ordered_at") AS __asof_hi
      FROM spine
      WHERE "custkey" IS NOT NULL
      GROUP BY "custkey"
    ) AS k ON k."custkey" = v."custkey"
    WHERE v."event_ts" <= k.__asof_hi
      AND v."event_ts" > k.__asof_lo - INTERVAL '365' DAY
  ),
  step1 AS (
    SELECT "orderkey", "custkey", "nationkey", "ordered_at", "urgent", __asof_v1
    FROM (
      SELECT "orderkey", "custkey", "nationkey", "ordered_at", "urgent", __asof_kind,
        last_value(__asof_r) IGNORE NULLS OVER (
          PARTITION BY "custkey"
          ORDER BY __asof_t, __asof_kind, __asof_c ASC NULLS FIRST, __asof_b0 ASC NULLS FIRST, __asof_b1 ASC NULLS FIRST, __asof_b2 ASC NULLS FIRST
          ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS __asof_v1
      FROM (
        SELECT "orderkey", "custkey", "nationkey", "ordered_at", "urgent", 1 AS __asof_kind, "ordered_at" AS __asof_t, CAST(NULL AS timestamp(6)) AS __asof_c, CAST(NULL AS bigint) AS __asof_b0, CAST(NULL AS decimal(38,2)) AS __asof_b1, CAST(NULL AS decimal(38,2)) AS __asof_b2, CAST(NULL AS row(__asof_t timestamp(6), __asof_e timestamp(6), "orders_90d" bigint, "spend_90d" decimal(38,2), "avg_order_value_365d" decimal(38,2))) AS __asof_r
        FROM step0
        UNION ALL
        SELECT CAST(NULL AS bigint) AS "orderkey", "custkey", CAST(NULL AS bigint) AS "nationkey", CAST(NULL AS timestamp(6)) AS "ordered_at", CAST(NULL AS boolean) AS "urgent", 0, "event_ts", CAST(NULL AS timestamp(6)), "orders_90d", "spend_90d", "avg_order_value_365d", CAST(ROW("event_ts", "event_ts", "orders_90d", "spend_90d", "avg_order_value_365d") AS row(__asof_t timestamp(6), __asof_e timestamp(6), "orders_90d" bigint, "spend_90d" decimal(38,2), "avg_order_value_365d" decimal(38,2)))
        FROM rows1
      )
    )
    WHERE __asof_kind = 1
  ),
  rows2 AS (
    SELECT v."nationkey", v."event_ts", v."revenue_1d", v."orders_1d"
    FROM (
      SELECT
        c.nationkey,
        CAST(o.orderdate AS timestamp(6)) + INTERVAL '1' DAY AS event_ts,
        count(*) AS orders_1d,
        sum(CAST(o.totalprice AS decimal(12, 2))) AS revenue_1d
      FROM tpch.sf1.orders o
      JOIN tpch.sf1.customer c ON c.custkey = o.custkey
      GROUP BY c.nationkey, o.orderdate
    ) AS v
    JOIN (
      SELECT "nationkey", min("ordered_at") AS __asof_lo, max("ordered_at") AS __asof_hi
      FROM spine
      WHERE "nationkey" IS NOT NULL
      GROUP BY "nationkey"
    ) AS k ON k."nationkey" = v."nationkey"
    WHERE v."event_ts" <= k.__asof_hi
      AND v."event_ts" > k.__asof_lo - INTERVAL '7' DAY
  ),
  step2 AS (
    SELECT "orderkey", "custkey", "nationkey", "ordered_at", "urgent", "__asof_v1", __asof_v2
    FROM (
      SELECT "orderkey", "custkey", "nationkey", "ordered_at", "urgent", "__asof_v1", __asof_kind,
        last_value(__asof_r) IGNORE NULLS OVER (
          PARTITION BY "nationkey"
          ORDER BY __asof_t, __asof_kind, __asof_c ASC NULLS FIRST, __asof_b0 ASC NULLS FIRST, __asof_b1 ASC NULLS FIRST
          ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS __asof_v2
      FROM (
        SELECT "orderkey", "custkey", "nationkey", "ordered_at", "urgent", "__asof_v1", 1 AS __asof_kind, "ordered_at" AS __asof_t, CAST(NULL AS timestamp(6)) AS __asof_c, CAST(NULL AS bigint) AS __asof_b0, CAST(NULL AS decimal(38,2)) AS __asof_b1, CAST(NULL AS row(__asof_t timestamp(6), __asof_e timestamp(6), "revenue_1d" decimal(38,2))) AS __asof_r
        FROM step1
        UNION ALL
        SELECT CAST(NULL AS bigint) AS "orderkey", CAST(NULL AS bigint) AS "custkey", "nationkey", CAST(NULL AS timestamp(6)) AS "ordered_at", CAST(NULL AS boolean) AS "urgent", CAST(NULL AS row(__asof_t timestamp(6), __asof_e timestamp(6), "orders_90d" bigint, "spend_90d" decimal(38,2), "avg_order_value_365d" decimal(38,2))) AS "__asof_v1", 0, "event_ts", CAST(NULL AS timestamp(6)), "orders_1d", "revenue_1d", CAST(ROW("event_ts", "event_ts", "revenue_1d") AS row(__asof_t timestamp(6), __asof_e timestamp(6), "revenue_1d" decimal(38,2)))
        FROM rows2
      )
    )
    WHERE __asof_kind = 1
  )
SELECT
  "orderkey",
  "custkey",
  "nationkey",
  "ordered_at",
  "urgent",
  CASE WHEN __asof_v1 IS NOT NULL AND "ordered_at" IS NOT NULL AND __asof_v1.__asof_t > "ordered_at" - INTERVAL '365' DAY THEN __asof_v1."orders_90d" END AS "orders_90d",
  CASE WHEN __asof_v1 IS NOT NULL AND "ordered_at" IS NOT NULL AND __asof_v1.__asof_t > "ordered_at" - INTERVAL '365' DAY THEN __asof_v1."spend_90d" END AS "spend_90d",
  CASE WHEN __asof_v1 IS NOT NULL AND "ordered_at" IS NOT NULL AND __asof_v1.__asof_t > "ordered_at" - INTERVAL '365' DAY THEN __asof_v1."avg_order_value_365d" END AS "avg_order_value_365d",
  CASE WHEN __asof_v2 IS NOT NULL AND "ordered_at" IS NOT NULL AND __asof_v2.__asof_t > "ordered_at" - INTERVAL '7' DAY THEN __asof_v2."revenue_1d" END AS "revenue_1d"
FROM step2
