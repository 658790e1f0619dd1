SELECT f.ordinal, f.rule, f.offending_rows, f.examples
FROM (
  SELECT
    count(*) AS __asof_rows,
    count(__asof_e0) AS __asof_e0_n,
    min_by(__asof_e0, __asof_e0, 5) AS __asof_e0_x,
    count(__asof_e1) AS __asof_e1_n,
    min_by(__asof_e1, __asof_e1, 5) AS __asof_e1_x,
    count(__asof_e2) AS __asof_e2_n,
    min_by(__asof_e2, __asof_e2, 5) AS __asof_e2_x,
    count(__asof_e3) AS __asof_e3_n,
    min_by(__asof_e3, __asof_e3, 5) AS __asof_e3_x
  FROM (
    SELECT
      CASE WHEN "ctr" IS NULL OR "country" IS NULL THEN '{"user_id":' || coalesce(json_format(CAST("user_id" AS JSON)), 'null') || ',"event_ts":' || coalesce(json_format(CAST("event_ts" AS JSON)), 'null') || ',"ctr":' || coalesce(json_format(CAST("ctr" AS JSON)), 'null') || ',"country":' || coalesce(json_format(CAST("country" AS JSON)), 'null') || '}' END AS __asof_e0,
      CASE WHEN NOT ("ctr" >= 0 AND "ctr" <= 1) THEN '{"user_id":' || coalesce(json_format(CAST("user_id" AS JSON)), 'null') || ',"event_ts":' || coalesce(json_format(CAST("event_ts" AS JSON)), 'null') || ',"ctr":' || coalesce(json_format(CAST("ctr" AS JSON)), 'null') || '}' END AS __asof_e1,
      CASE WHEN NOT ("clicks" >= 0) THEN '{"user_id":' || coalesce(json_format(CAST("user_id" AS JSON)), 'null') || ',"event_ts":' || coalesce(json_format(CAST("event_ts" AS JSON)), 'null') || ',"clicks":' || coalesce(json_format(CAST("clicks" AS JSON)), 'null') || '}' END AS __asof_e2,
      CASE WHEN "country" NOT IN ('de', 'fr') THEN '{"user_id":' || coalesce(json_format(CAST("user_id" AS JSON)), 'null') || ',"event_ts":' || coalesce(json_format(CAST("event_ts" AS JSON)), 'null') || ',"country":' || coalesce(json_format(CAST("country" AS JSON)), 'null') || '}' END AS __asof_e3
    FROM "iceberg"."features"."__asof_stage_x"
  )
) AS c
CROSS JOIN UNNEST(
  ARRAY[0, 1, 2, 3, 5],
  ARRAY['not_null(ctr, country)', 'range(ctr, 0, 1)', 'range(clicks, 0, _)', 'accepted_values(country, ''de'', ''fr'')', 'row_count(1, 8)'],
  ARRAY[__asof_e0_n, __asof_e1_n, __asof_e2_n, __asof_e3_n, __asof_rows],
  ARRAY[coalesce(__asof_e0_x, CAST(ARRAY[] AS array(varchar))),
    coalesce(__asof_e1_x, CAST(ARRAY[] AS array(varchar))),
    coalesce(__asof_e2_x, CAST(ARRAY[] AS array(varchar))),
    coalesce(__asof_e3_x, CAST(ARRAY[] AS array(varchar))),
    CAST(ARRAY[] AS array(varchar))],
  ARRAY[__asof_e0_n > 0,
    __asof_e1_n > 0,
    __asof_e2_n > 0,
    __asof_e3_n > 0,
    __asof_rows < 1 OR __asof_rows > 8]
) AS f(ordinal, rule, offending_rows, examples, failed)
WHERE f.failed
UNION ALL
SELECT 4 AS ordinal, 'unique_keys' AS rule, sum(__asof_rows) AS offending_rows, min_by(__asof_e4, __asof_e4, 5) AS examples
FROM (
  SELECT count(*) AS __asof_rows, '{"user_id":' || coalesce(json_format(CAST("user_id" AS JSON)), 'null') || ',"event_ts":' || coalesce(json_format(CAST("event_ts" AS JSON)), 'null') || ',"rows":' || CAST(count(*) AS varchar) || '}' AS __asof_e4
  FROM "iceberg"."features"."__asof_stage_x"
  GROUP BY "user_id", "event_ts"
  HAVING count(*) > 1
)
HAVING count(*) > 0
ORDER BY ordinal
