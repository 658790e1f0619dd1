CREATE TABLE IF NOT EXISTS `features`.`article_live__v1` (
  `article_id` bigint,
  `updated_at` timestamp,
  `reads_5m` bigint,
  `likes_5m` bigint,
  `shares_5m` bigint,
  `__asof_push_seq` bigint
)
PARTITIONED BY (day(`updated_at`))
LOCATION 's3://bucket/asof/features/article_live__v1/'
TBLPROPERTIES ('table_type'='ICEBERG');
