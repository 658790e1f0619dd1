CREATE SCHEMA IF NOT EXISTS "iceberg"."asof_staging";

CREATE TABLE IF NOT EXISTS "iceberg"."asof_staging"."article_live__v1__push" (
  "article_id" bigint,
  "updated_at" timestamp(6),
  "reads_5m" integer,
  "ctr" double,
  "score" real,
  "price" decimal(6,2),
  "premium" boolean,
  "category" varchar,
  "title" varchar,
  "day" date,
  "level" integer,
  "rank" integer,
  "__asof_push_seq" bigint
);

TRUNCATE TABLE "iceberg"."asof_staging"."article_live__v1__push";

ALTER TABLE "iceberg"."asof_staging"."article_live__v1__push" EXECUTE add_files(location => 'local:///asof_push_staging/article_live__v1/batch-00000000000000000001-00000000000000000007.parquet', format => 'PARQUET');

INSERT INTO "iceberg"."features"."article_live__v1" ("article_id", "updated_at", "reads_5m", "ctr", "score", "price", "premium", "category", "title", "day", "level", "rank", "__asof_push_seq")
SELECT "article_id", "updated_at", "reads_5m", "ctr", "score", "price", "premium", "category", "title", "day", "level", "rank", "__asof_push_seq"
FROM "iceberg"."asof_staging"."article_live__v1__push";

TRUNCATE TABLE "iceberg"."asof_staging"."article_live__v1__push"
