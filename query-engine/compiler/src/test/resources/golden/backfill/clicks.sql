CREATE TABLE IF NOT EXISTS iceberg.features.clicks__v1 (
  "user_id" bigint,
  "e" timestamp(6),
  "c" timestamp(6),
  "f" integer,
  "g" varchar,
  "__asof_valid_until" timestamp(6)
)
WITH (partitioning = ARRAY['day(e)']);

CREATE TABLE iceberg.asof_staging.clicks__v1__job__0 AS
SELECT v."user_id", v."e", v."c", CAST(v."f" AS integer) AS "f", v."g"
FROM (
SELECT * FROM dwh.clicks
) AS v
WHERE v."e" >= TIMESTAMP '2026-03-01 00:00:00.000000' AND v."e" < TIMESTAMP '2026-03-08 00:00:00.000000';

MERGE INTO iceberg.features.clicks__v1 t
USING (
  WITH
    staged AS (
      SELECT * FROM iceberg.asof_staging.clicks__v1__job__0 WHERE "user_id" IS NOT NULL
    ),
    after AS (
      SELECT "user_id", min("e") AS "__asof_next"
      FROM iceberg.features.clicks__v1
      WHERE "e" >= TIMESTAMP '2026-03-08 00:00:00.000000'
      GROUP BY "user_id"
    ),
    first_staged AS (
      SELECT "user_id", min("e") AS "__asof_first"
      FROM staged
      GROUP BY "user_id"
    ),
    crossing AS (
      SELECT DISTINCT "user_id"
      FROM iceberg.features.clicks__v1
      WHERE "e" < TIMESTAMP '2026-03-01 00:00:00.000000' AND coalesce("__asof_valid_until" >= TIMESTAMP '2026-03-01 00:00:00.000000', true)
    )
  SELECT 'new' AS __asof_op, n."user_id", n."e", n."c", n."f", n."g", coalesce(lead(n."e") OVER (PARTITION BY n."user_id" ORDER BY n."e", n."c" ASC NULLS FIRST, n."f" ASC NULLS FIRST, n."g" ASC NULLS FIRST), a."__asof_next") AS "__asof_valid_until"
  FROM staged n
  LEFT JOIN after a ON a."user_id" = n."user_id"
  UNION ALL
  SELECT 'del', "user_id", CAST(NULL AS timestamp(6)) AS "e", CAST(NULL AS timestamp(6)) AS "c", CAST(NULL AS integer) AS "f", CAST(NULL AS varchar) AS "g", CAST(NULL AS timestamp(6)) AS "__asof_valid_until"
  FROM (SELECT DISTINCT "user_id" FROM iceberg.features.clicks__v1 WHERE "e" >= TIMESTAMP '2026-03-01 00:00:00.000000' AND "e" < TIMESTAMP '2026-03-08 00:00:00.000000')
  UNION ALL
  SELECT 'upd', c."user_id", CAST(NULL AS timestamp(6)) AS "e", CAST(NULL AS timestamp(6)) AS "c", CAST(NULL AS integer) AS "f", CAST(NULL AS varchar) AS "g", coalesce(f."__asof_first", a."__asof_next") AS "__asof_valid_until"
  FROM crossing c
  LEFT JOIN first_staged f ON f."user_id" = c."user_id"
  LEFT JOIN after a ON a."user_id" = c."user_id"
) s
ON t."user_id" = s."user_id"
  AND ((s.__asof_op = 'del' AND t."e" >= TIMESTAMP '2026-03-01 00:00:00.000000' AND t."e" < TIMESTAMP '2026-03-08 00:00:00.000000')
    OR (s.__asof_op = 'upd' AND t."e" < TIMESTAMP '2026-03-01 00:00:00.000000' AND coalesce(t."__asof_valid_until" >= TIMESTAMP '2026-03-01 00:00:00.000000', true)))
WHEN MATCHED AND s.__asof_op = 'del' THEN DELETE
WHEN MATCHED AND s.__asof_op = 'upd' AND t."__asof_valid_until" IS DISTINCT FROM s."__asof_valid_until" THEN UPDATE SET "__asof_valid_until" = s."__asof_valid_until"
WHEN NOT MATCHED AND s.__asof_op = 'new' THEN INSERT ("user_id", "e", "c", "f", "g", "__asof_valid_until") VALUES (s."user_id", s."e", s."c", s."f", s."g", s."__asof_valid_until");

SELECT "user_id", "e", "c", CAST("f" AS smallint) AS "f", "g", "__asof_valid_until"
FROM iceberg.features.clicks__v1;

SELECT count(*) FROM iceberg.asof_staging.clicks__v1__job__0 WHERE "user_id" IS NOT NULL
