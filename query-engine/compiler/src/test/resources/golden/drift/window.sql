SELECT
  count(*) AS __asof_rows,
  count_if("clicks" IS NULL) AS __asof_f1_nulls,
  count_if(CAST("clicks" AS double) < 1.0E0) AS __asof_f1_b0,
  count_if(CAST("clicks" AS double) >= 1.0E0 AND CAST("clicks" AS double) < 2.5E0) AS __asof_f1_b1,
  count_if(CAST("clicks" AS double) >= 2.5E0 AND CAST("clicks" AS double) < 7.0E0) AS __asof_f1_b2,
  count_if(CAST("clicks" AS double) >= 7.0E0) AS __asof_f1_b3,
  count_if("country" IS NULL) AS __asof_f2_nulls,
  count_if(CAST("country" AS varchar) = 'de') AS __asof_f2_b0,
  count_if(CAST("country" AS varchar) = 'fr') AS __asof_f2_b1,
  count_if(CAST("country" AS varchar) = 'l''aquila') AS __asof_f2_b2,
  count_if("premium" IS NULL) AS __asof_f3_nulls,
  count_if(CAST("premium" AS varchar) = 'true') AS __asof_f3_b0,
  count_if(CAST("premium" AS varchar) = 'false') AS __asof_f3_b1
FROM "iceberg"."features"."user_engagement__v1"
WHERE "event_ts" >= TIMESTAMP '2026-03-02 00:00:00.000000' AND "event_ts" < TIMESTAMP '2026-04-01 00:00:00.000000'
