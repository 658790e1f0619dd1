-- view: customer_orders
-- entity: customer
-- event_time: event_ts
-- ttl: 365d
-- materialize: true
-- owner: sales
-- description: A customer's ordering history: orders and spend over the last 90 and 365 days,
--   as of the end of each order day.
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
