SELECT DISTINCT "user_id", TIMESTAMP '2026-12-08 02:30:00.123456' AS asof_loaded_at
FROM iceberg.features.user_engagement
WHERE "user_id" IS NOT NULL;

SELECT DISTINCT "user_id", "region", TIMESTAMP '2026-12-08 02:30:00.123456' AS asof_loaded_at
FROM iceberg.asof_staging."user_engagement__v2"
WHERE "user_id" IS NOT NULL
  AND "region" IS NOT NULL
  AND ("reacted_at" >= TIMESTAMP '2026-12-07 02:30:00.000000' OR "ingested_at" >= TIMESTAMP '2026-12-07 02:30:00.000000');

SELECT k.*, TIMESTAMP '2026-12-08 02:30:00.123456' AS asof_loaded_at
FROM (VALUES
  (CAST(42 AS bigint), CAST('eu-west' AS varchar)),
  (CAST(7 AS bigint), CAST('it''s' AS varchar))) AS k ("user_id", "region");

SELECT k.*, TIMESTAMP '2026-12-08 02:30:00.123456' AS asof_loaded_at
FROM (VALUES
  (CAST(1.50 AS decimal(10,2)), CAST(true AS boolean), CAST('2026-12-01 00:00:01.000000' AS timestamp(6)))) AS k ("amount", "flag", "seen_at");

SELECT CAST(NULL AS bigint) AS "user_id", CAST(NULL AS varchar) AS "region", CAST(NULL AS timestamp(6)) AS asof_loaded_at WHERE false;

SELECT DISTINCT "user_id" FROM (
SELECT user_id, reacted_at AS __asof_e FROM dwh.reactions
) AS v WHERE "user_id" IS NOT NULL AND "__asof_e" IS NOT NULL LIMIT 50;

SELECT "user_id", "region" FROM (SELECT DISTINCT "user_id", "region" FROM iceberg.features.user_engagement WHERE "user_id" IS NOT NULL AND "region" IS NOT NULL) ORDER BY rand() LIMIT 25;
