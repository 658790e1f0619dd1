-- training_set: urgent_orders
-- description: One row per order, labelled with whether it was urgent, with the customer's and
--   their nation's history, and the record of the supplier of its first line, as of the moment
--   the order was placed.
-- timestamp: ordered_at
-- label: urgent
-- features: customer_orders:*, nation_daily:revenue_1d, supplier_monthly:late_share_1m
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
