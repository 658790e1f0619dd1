SELECT
  count(*) AS __asof_rows,
  count_if("events_1h" IS NULL) AS __asof_f1_nulls,
  count_if(CAST("events_1h" AS double) < 1.5E0) AS __asof_f1_b0,
  count_if(CAST("events_1h" AS double) >= 1.5E0) AS __asof_f1_b1,
  count_if("clicks_1d" IS NULL) AS __asof_f2_nulls,
  count_if(CAST("clicks_1d" AS double) < 5.0E0) AS __asof_f2_b0,
  count_if(CAST("clicks_1d" AS double) >= 5.0E0 AND CAST("clicks_1d" AS double) < 6.0E0) AS __asof_f2_b1,
  count_if(CAST("clicks_1d" AS double) >= 6.0E0) AS __asof_f2_b2
FROM (
  SELECT "events_1h", "clicks_1d" FROM "reference"
) AS __asof_r
