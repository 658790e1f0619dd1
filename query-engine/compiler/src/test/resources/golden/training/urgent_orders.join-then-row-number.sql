WITH
  spine AS (
    SELECT
      o.orderkey,
      o.custkey,
      c.nationkey,
      l.suppkey,
      CAST(o.orderdate AS timestamp(6)) AS ordered_at,
      o.orderpriority = '1-URGENT' AS urgent
    FROM tpch.sf1.orders o
    JOIN tpch.sf1.customer c ON c.custkey = o.custkey
    JOIN tpch.sf1.lineitem l ON l.orderkey = o.orderkey AND l.linenumber = 1
  ),
  step0 AS (
    SELECT *, row_number() OVER () AS __asof_rid FROM spine
  ),
  step1 AS (
    SELECT "orderkey", "custkey", "nationkey", "suppkey", "ordered_at", "urgent", __asof_rid, "__asof_v1_orders_90d", "__asof_v1_spend_90d", "__asof_v1_avg_order_value_365d"
    FROM (
      SELECT p."orderkey", p."custkey", p."nationkey", p."suppkey", p."ordered_at", p."urgent", p.__asof_rid, v."orders_90d" AS "__asof_v1_orders_90d", v."spend_90d" AS "__asof_v1_spend_90d", v."avg_order_value_365d" AS "__asof_v1_avg_order_value_365d",
        row_number() OVER (PARTITION BY p.__asof_rid ORDER BY v."event_ts" DESC, v."orders_90d" DESC NULLS LAST, v."spend_90d" DESC NULLS LAST, v."avg_order_value_365d" DESC NULLS LAST) AS __asof_rn
      FROM step0 p
      LEFT JOIN (
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
        ON v."custkey" = p."custkey"
          AND v."event_ts" <= p."ordered_at"
          AND v."event_ts" > p."ordered_at" - INTERVAL '365' DAY
    )
    WHERE __asof_rn = 1
  ),
  step2 AS (
    SELECT "orderkey", "custkey", "nationkey", "suppkey", "ordered_at", "urgent", __asof_rid, "__asof_v1_orders_90d", "__asof_v1_spend_90d", "__asof_v1_avg_order_value_365d", "__asof_v2_revenue_1d"
    FROM (
      SELECT p."orderkey", p."custkey", p."nationkey", p."suppkey", p."ordered_at", p."urgent", p.__asof_rid, p."__asof_v1_orders_90d", p."__asof_v1_spend_90d", p."__asof_v1_avg_order_value_365d", v."revenue_1d" AS "__asof_v2_revenue_1d",
        row_number() OVER (PARTITION BY p.__asof_rid ORDER BY v."event_ts" DESC, v."orders_1d" DESC NULLS LAST, v."revenue_1d" DESC NULLS LAST) AS __asof_rn
      FROM step1 p
      LEFT JOIN (
        SELECT
          c.nationkey,
          CAST(o.orderdate AS timestamp(6)) + INTERVAL '1' DAY AS event_ts,
          count(*) AS orders_1d,
          sum(CAST(o.totalprice AS decimal(12, 2))) AS revenue_1d
        FROM tpch.sf1.orders o
        JOIN tpch.sf1.customer c ON c.custkey = o.custkey
        GROUP BY c.nationkey, o.orderdate
      ) AS v
        ON v."nationkey" = p."nationkey"
          AND v."event_ts" <= p."ordered_at"
          AND v."event_ts" > p."ordered_at" - INTERVAL '7' DAY
    )
    WHERE __asof_rn = 1
  ),
  step3 AS (
    SELECT "orderkey", "custkey", "nationkey", "suppkey", "ordered_at", "urgent", __asof_rid, "__asof_v1_orders_90d", "__asof_v1_spend_90d", "__asof_v1_avg_order_value_365d", "__asof_v2_revenue_1d", "__asof_v3_late_share_1m"
    FROM (
      SELECT p."orderkey", p."custkey", p."nationkey", p."suppkey", p."ordered_at", p."urgent", p.__asof_rid, p."__asof_v1_orders_90d", p."__asof_v1_spend_90d", p."__asof_v1_avg_order_value_365d", p."__asof_v2_revenue_1d", v."late_share_1m" AS "__asof_v3_late_share_1m",
        row_number() OVER (PARTITION BY p.__asof_rid ORDER BY v."event_ts" DESC, v."lines_1m" DESC NULLS LAST, v."quantity_1m" DESC NULLS LAST, v."late_share_1m" DESC NULLS LAST) AS __asof_rn
      FROM step2 p
      LEFT JOIN (
        SELECT
          suppkey,
          CAST(date_trunc('month', receiptdate) AS timestamp(6)) + INTERVAL '1' MONTH AS event_ts,
          count(*) AS lines_1m,
          sum(CAST(quantity AS bigint)) AS quantity_1m,
          CAST(count_if(receiptdate > commitdate) AS double) / count(*) AS late_share_1m
        FROM tpch.sf1.lineitem
        GROUP BY suppkey, date_trunc('month', receiptdate)
      ) AS v
        ON v."suppkey" = p."suppkey"
          AND v."event_ts" <= p."ordered_at"
          AND v."event_ts" > p."ordered_at" - INTERVAL '92' DAY
    )
    WHERE __asof_rn = 1
  )
SELECT
  "orderkey",
  "custkey",
  "nationkey",
  "suppkey",
  "ordered_at",
  "urgent",
  "__asof_v1_orders_90d" AS "orders_90d",
  "__asof_v1_spend_90d" AS "spend_90d",
  "__asof_v1_avg_order_value_365d" AS "avg_order_value_365d",
  "__asof_v2_revenue_1d" AS "revenue_1d",
  "__asof_v3_late_share_1m" AS "late_share_1m"
FROM step3
