-- view: supplier_monthly
-- entity: supplier
-- event_time: event_ts
-- ttl: 92d
-- materialize: true
-- owner: supply
-- description: What reached customers from a supplier per calendar month: line items received,
--   quantity, and the share that arrived after the committed date. Known once the month is over.
SELECT
  suppkey,
  CAST(date_trunc('month', receiptdate) AS timestamp(6)) + INTERVAL '1' MONTH AS event_ts,
  count(*) AS lines_1m,
  sum(CAST(quantity AS bigint)) AS quantity_1m,
  CAST(count_if(receiptdate > commitdate) AS double) / count(*) AS late_share_1m
FROM tpch.sf1.lineitem
GROUP BY suppkey, date_trunc('month', receiptdate)
