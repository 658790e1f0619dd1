SELECT DISTINCT "__asof_push_seq" FROM "iceberg"."features"."article_live__v1" WHERE "__asof_push_seq" >= 17;

SELECT DISTINCT "__asof_push_seq" FROM "iceberg"."features"."article_live__v1" WHERE "__asof_push_seq" BETWEEN 17 AND 23;

ALTER TABLE "iceberg"."features"."article_live__v1" EXECUTE optimize(file_size_threshold => '32MB') WHERE "updated_at" >= TIMESTAMP '2026-12-03 00:00:00';

ALTER TABLE "iceberg"."asof_staging"."article_live__v1__push" EXECUTE expire_snapshots(retention_threshold => '0s');

SELECT snapshot_id FROM "iceberg"."features"."article_live__v1$snapshots" WHERE committed_at <= from_iso8601_timestamp('2026-12-03T10:15:30.500Z') ORDER BY committed_at DESC LIMIT 1;

SELECT max("__asof_push_seq") FROM "iceberg"."features"."article_live__v1" FOR VERSION AS OF 8243112409001
