SELECT DISTINCT "__asof_push_seq" FROM "iceberg"."features"."article_live__v1" WHERE "__asof_push_seq" >= 17;

SELECT DISTINCT "__asof_push_seq" FROM "iceberg"."features"."article_live__v1" WHERE "__asof_push_seq" BETWEEN 17 AND 23;

ALTER TABLE "iceberg"."features"."article_live__v1" EXECUTE optimize(file_size_threshold => '32MB') WHERE "updated_at" >= TIMESTAMP '2026-12-03 00:00:00';

ALTER TABLE "iceberg"."asof_staging"."article_live__v1__push" EXECUTE expire_snapshots(retention_threshold => '0s')
