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
  ),
  ranges1 AS (
    SELECT "custkey", "event_ts" AS __asof_from,
      lead("event_ts") OVER (PARTITION BY "custkey" ORDER BY "event_ts", "orders_90d" ASC NULLS FIRST, "spend_90d" ASC NULLS FIRST, "avg_order_value_365d" ASC NULLS FIRST) AS __asof_to,
      "orders_90d", "spend_90d", "avg_order_value_365d"
    FROM rows1
  ),
  probes2 AS (
    SELECT DISTINCT "nationkey", "ordered_at" AS __asof_t
    FROM spine
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
  ),
  ranges2 AS (
    SELECT "nationkey", "event_ts" AS __asof_from,
      lead("event_ts") OVER (PARTITION BY "nationkey" ORDER BY "event_ts", "orders_1d" ASC NULLS FIRST, "revenue_1d" ASC NULLS FIRST) AS __asof_to,
      "revenue_1d"
    FROM rows2
  ),
  found2 AS (
    SELECT p."nationkey", p.__asof_t, r."revenue_1d"
    FROM probes2 p
    JOIN ranges2 r
      ON r."nationkey" = p."nationkey"
        AND r.__asof_from <= p.__asof_t
        AND coalesce(p.__asof_t < r.__asof_to, true)
        AND r.__asof_from > p.__asof_t - INTERVAL '7' DAY
  ),
  rows3 AS (
    SELECT v."suppkey", v."event_ts", v."late_share_1m", v."lines_1m", v."quantity_1m"
    FROM (
      SELECT
        suppkey,
        CAST(date_trunc('month', receiptdate) AS timestamp(6)) + INTERVAL '1' MONTH AS event_ts,
        count(*) AS lines_1m,
        sum(CAST(quantity AS bigint)) AS quantity_1m,
        CAST(count_if(receiptdate > commitdate) AS double) / count(*) AS late_share_1m
      FROM tpch.sf1.lineitem
      GROUP BY suppkey, date_trunc('month', receiptdate)
    ) AS v
  ),
  ranges3 AS (
    SELECT "suppkey", "event_ts" AS __asof_from,
      lead("event_ts") OVER (PARTITION BY "suppkey" ORDER BY "event_ts", "lines_1m" ASC NULLS FIRST, "quantity_1m" ASC NULLS FIRST, "late_share_1m" ASC NULLS FIRST) AS __asof_to,
      "late_share_1m"
    FROM rows3
  )
SELECT
  s."orderkey",
  s."custkey",
  s."nationkey",
  s."suppkey",
  s."ordered_at",
  s."urgent",
  f1."orders_90d" AS "orders_90d",
  f1."spend_90d" AS "spend_90d",
  f1."avg_order_value_365d" AS "avg_order_value_365d",
  f2."revenue_1d" AS "revenue_1d",
  f3."late_share_1m" AS "late_share_1m"
FROM spine s
LEFT JOIN ranges1 f1
  ON f1."custkey" = s."custkey"
  AND f1.__asof_from <= s."ordered_at"
  AND coalesce(s."ordered_at" < f1.__asof_to, true)
  AND f1.__asof_from > s."ordered_at" - INTERVAL '365' DAY
LEFT JOIN found2 f2
  ON f2."nationkey" = s."nationkey" AND f2.__asof_t = s."ordered_at"
LEFT JOIN ranges3 f3
  ON f3."suppkey" = s."suppkey"
  AND f3.__asof_from <= s."ordered_at"
  AND coalesce(s."ordered_at" < f3.__asof_to, true)
  AND f3.__asof_from > s."ordered_at" - INTERVAL '92' DAY
