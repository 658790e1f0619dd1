CREATE SCHEMA IF NOT EXISTS iceberg.features;

CREATE TABLE IF NOT EXISTS iceberg.features.clicks__v1 (
  "user_id" bigint NOT NULL COMMENT 'User key.',
  "e" timestamp(6),
  "score" double COMMENT 'It''s a score.',
  "name" varchar,
  "n" integer,
  "r" real,
  "amount" decimal(12, 2),
  "day" date,
  "ok" boolean,
  "tags" array(varchar),
  "counts" map(varchar, bigint),
  "point" row(x double, "Y" integer)
)
COMMENT 'Clicks, by day.'
WITH (partitioning = ARRAY['day(e)']);

CREATE TABLE IF NOT EXISTS iceberg.asof_staging.plain (
  "k" bigint
);

CREATE TABLE iceberg.asof_staging.clicks__v1__job__0 AS
SELECT user_id, e, score
FROM dwh.clicks;

CREATE OR REPLACE TABLE iceberg.training.click_model
COMMENT 'Training set [as of ts]'
AS
SELECT user_id, e, score
FROM dwh.clicks;

CREATE OR REPLACE TABLE iceberg.training.click_model
COMMENT 'Training set [as of ts]'
AS
SELECT user_id, e, score
FROM dwh.clicks;

DROP TABLE IF EXISTS iceberg.features.clicks__v1;

CREATE OR REPLACE VIEW iceberg.features.clicks
COMMENT 'Clicks [v1]'
AS
SELECT * FROM iceberg.features.clicks__v1;

CREATE OR REPLACE VIEW iceberg.features.plain
AS
SELECT 1 AS x;

ALTER TABLE iceberg.features.clicks__v1 EXECUTE optimize(file_size_threshold => '33554432B');

ALTER TABLE iceberg.features.clicks__v1 EXECUTE expire_snapshots(retention_threshold => '604803s');

SELECT catalog_name FROM system.metadata.catalogs WHERE catalog_name = 'iceberg';
