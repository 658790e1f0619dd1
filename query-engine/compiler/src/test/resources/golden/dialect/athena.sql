CREATE DATABASE IF NOT EXISTS `features`;

CREATE TABLE IF NOT EXISTS `features`.`clicks__v1` (
  `user_id` bigint COMMENT 'User key.',
  `e` timestamp,
  `score` double COMMENT 'It\'s a score.',
  `name` string,
  `n` int,
  `r` float,
  `amount` decimal(12,2),
  `day` date,
  `ok` boolean,
  `tags` array<string>,
  `counts` map<string,bigint>,
  `point` struct<x:double,y:int>
)
COMMENT 'Clicks, by day.'
PARTITIONED BY (day(`e`))
LOCATION 's3://bucket/asof/features/clicks__v1/'
TBLPROPERTIES ('table_type'='ICEBERG');

CREATE TABLE IF NOT EXISTS `asof_staging`.`plain` (
  `k` bigint
)
LOCATION 's3://bucket/asof/asof_staging/plain/'
TBLPROPERTIES ('table_type'='ICEBERG');

CREATE TABLE asof_staging.clicks__v1__job__0
WITH (table_type = 'ICEBERG', is_external = false, location = 's3://bucket/asof/asof_staging/clicks__v1__job__0/')
AS
SELECT user_id, e, score
FROM dwh.clicks;

CREATE TABLE training.click_model
WITH (table_type = 'ICEBERG', is_external = false, location = 's3://bucket/asof/training/click_model/')
AS
SELECT user_id, e, score
FROM dwh.clicks;

DELETE FROM training.click_model;

INSERT INTO training.click_model
SELECT user_id, e, score
FROM dwh.clicks;

DROP TABLE IF EXISTS `features`.`clicks__v1`;

CREATE OR REPLACE VIEW iceberg.features.clicks
AS
SELECT * FROM iceberg.features.clicks__v1;

CREATE OR REPLACE VIEW iceberg.features.plain
AS
SELECT 1 AS x;

ALTER TABLE `features`.`clicks__v1` SET TBLPROPERTIES ('optimize_rewrite_min_data_file_size_bytes'='33554432');

OPTIMIZE features.clicks__v1 REWRITE DATA USING BIN_PACK;

ALTER TABLE `features`.`clicks__v1` SET TBLPROPERTIES ('vacuum_max_snapshot_age_seconds'='604803');

VACUUM features.`clicks__v1`;

SELECT catalog_name FROM information_schema.schemata WHERE catalog_name = 'iceberg' LIMIT 1;
