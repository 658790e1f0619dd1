SELECT max(v."__asof_e") AS __asof_newest
FROM (
  SELECT "user_id" AS "user_id", "ts" AS "__asof_e", "clicks" AS "__asof_x0"
  FROM "iceberg"."drift"."clicks_log"
) AS v
WHERE v."user_id" IS NOT NULL
