CREATE TABLE IF NOT EXISTS `features`.`clicks__v1` (
  `user_id` bigint,
  `e` timestamp,
  `c` timestamp,
  `f` int,
  `g` string,
  `__asof_valid_until` timestamp
)
PARTITIONED BY (day(`e`))
LOCATION 's3://bucket/asof/features/clicks__v1/'
TBLPROPERTIES ('table_type'='ICEBERG');

CREATE TABLE asof_staging.clicks__v1__job__0
WITH (table_type = 'ICEBERG', is_external = false, location = 's3://bucket/asof/asof_staging/clicks__v1__job__0/')
AS
SELECT v."user_id", v."e", v."c", CAST(v."f" AS integer) AS "f", v."g"
FROM (
SELECT * FROM dwh.clicks
) AS v
WHERE v."e" >= TIMESTAMP '2026-03-01 00:00:00.000000' AND v."e" < TIMESTAMP '2026-03-08 00:00:00.000000';
