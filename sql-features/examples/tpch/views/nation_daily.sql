-- view: nation_daily
-- entity: nation
-- event_time: event_ts
-- ttl: 7d
-- materialize: true
-- owner: sales
-- description: Orders and revenue of a nation's customers per finished day.
SELECT
  c.nationkey,
  CAST(o.orderdate AS timestamp(6)) + INTERVAL '1' DAY AS event_ts,
  count(*) AS orders_1d,
  sum(CAST(o.totalprice AS decimal(12, 2))) AS revenue_1d
FROM tpch.sf1.orders o
JOIN tpch.sf1.customer c ON c.custkey = o.custkey
GROUP BY c.nationkey, o.orderdate
