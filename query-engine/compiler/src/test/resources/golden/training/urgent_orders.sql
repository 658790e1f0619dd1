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
    SELECT "custkey", "event_ts", "orders_90d", "spend_90d", "avg_order_value_365d"
    FROM (
      WITH daily AS (
        SELECT custkey, orderdate, count(*) AS orders, sum(totalprice) AS spend
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
    WHERE "custkey" IS NOT NULL
      AND "event_ts" <= (SELECT max("ordered_at") FROM spine)
      AND "event_ts" > (SELECT min("ordered_at") FROM spine) - INTERVAL '365' DAY
      AND "custkey" IN (SELECT "custkey" FROM spine)
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
        SELECT "orderkey", "custkey", "nationkey", "ordered_at", "urgent", 1 AS __asof_kind, "ordered_at" AS __asof_t, CAST(NULL AS timestamp(6)) AS __asof_c, CAST(NULL AS bigint) AS __asof_b0, CAST(NULL AS double) AS __asof_b1, CAST(NULL AS double) AS __asof_b2, CAST(NULL AS row(__asof_t timestamp(6), __asof_e timestamp(6), "orders_90d" bigint, "spend_90d" double, "avg_order_value_365d" double)) AS __asof_r
        FROM step0
        UNION ALL
        SELECT CAST(NULL AS bigint) AS "orderkey", "custkey", CAST(NULL AS bigint) AS "nationkey", CAST(NULL AS timestamp(6)) AS "ordered_at", CAST(NULL AS boolean) AS "urgent", 0, "event_ts", CAST(NULL AS timestamp(6)), "orders_90d", "spend_90d", "avg_order_value_365d", CAST(ROW("event_ts", "event_ts", "orders_90d", "spend_90d", "avg_order_value_365d") AS row(__asof_t timestamp(6), __asof_e timestamp(6), "orders_90d" bigint, "spend_90d" double, "avg_order_value_365d" double))
        FROM rows1
      )
    )
    WHERE __asof_kind = 1
  ),
  rows2 AS (
    SELECT "nationkey", "event_ts", "revenue_1d", "orders_1d"
    FROM (
      SELECT
        c.nationkey,
        CAST(o.orderdate AS timestamp(6)) + INTERVAL '1' DAY AS event_ts,
        count(*) AS orders_1d,
        sum(o.totalprice) AS revenue_1d
      FROM tpch.sf1.orders o
      JOIN tpch.sf1.customer c ON c.custkey = o.custkey
      GROUP BY c.nationkey, o.orderdate
    ) AS v
    WHERE "nationkey" IS NOT NULL
      AND "event_ts" <= (SELECT max("ordered_at") FROM spine)
      AND "event_ts" > (SELECT min("ordered_at") FROM spine) - INTERVAL '7' DAY
      AND "nationkey" IN (SELECT "nationkey" FROM spine)
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
        SELECT "orderkey", "custkey", "nationkey", "ordered_at", "urgent", "__asof_v1", 1 AS __asof_kind, "ordered_at" AS __asof_t, CAST(NULL AS timestamp(6)) AS __asof_c, CAST(NULL AS bigint) AS __asof_b0, CAST(NULL AS double) AS __asof_b1, CAST(NULL AS row(__asof_t timestamp(6), __asof_e timestamp(6), "revenue_1d" double)) AS __asof_r
        FROM step1
        UNION ALL
        SELECT CAST(NULL AS bigint) AS "orderkey", CAST(NULL AS bigint) AS "custkey", "nationkey", CAST(NULL AS timestamp(6)) AS "ordered_at", CAST(NULL AS boolean) AS "urgent", CAST(NULL AS row(__asof_t timestamp(6), __asof_e timestamp(6), "orders_90d" bigint, "spend_90d" double, "avg_order_value_365d" double)) AS "__asof_v1", 0, "event_ts", CAST(NULL AS timestamp(6)), "orders_1d", "revenue_1d", CAST(ROW("event_ts", "event_ts", "revenue_1d") AS row(__asof_t timestamp(6), __asof_e timestamp(6), "revenue_1d" double))
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
