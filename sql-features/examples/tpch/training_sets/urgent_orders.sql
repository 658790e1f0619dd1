-- training_set: urgent_orders
-- description: One row per order, labelled with whether it was urgent, with the customer's and
--   their nation's history as of the moment the order was placed.
-- timestamp: ordered_at
-- label: urgent
-- features: customer_orders:*, nation_daily:revenue_1d
SELECT
  o.orderkey,
  o.custkey,
  c.nationkey,
  CAST(o.orderdate AS timestamp(6)) AS ordered_at,
  o.orderpriority = '1-URGENT' AS urgent
FROM tpch.sf1.orders o
JOIN tpch.sf1.customer c ON c.custkey = o.custkey
