SELECT
  count(*) AS __asof_rows,
  count_if("events_1h" IS NULL) AS __asof_f1_nulls,
  CAST(min("events_1h") AS double) AS __asof_f1_min,
  CAST(max("events_1h") AS double) AS __asof_f1_max,
  avg(CAST("events_1h" AS double)) AS __asof_f1_mean,
  approx_distinct("events_1h") AS __asof_f1_distinct,
  approx_percentile(CAST("events_1h" AS double), ARRAY[0.01, 0.25, 0.5, 0.75, 0.99]) AS __asof_f1_quantiles,
  count_if("clicks_1d" IS NULL) AS __asof_f2_nulls,
  CAST(min("clicks_1d") AS double) AS __asof_f2_min,
  CAST(max("clicks_1d") AS double) AS __asof_f2_max,
  avg(CAST("clicks_1d" AS double)) AS __asof_f2_mean,
  approx_distinct("clicks_1d") AS __asof_f2_distinct,
  approx_percentile(CAST("clicks_1d" AS double), ARRAY[0.01, 0.25, 0.5, 0.75, 0.99]) AS __asof_f2_quantiles
FROM (
  SELECT "events_1h", "clicks_1d" FROM "reference"
) AS __asof_r
