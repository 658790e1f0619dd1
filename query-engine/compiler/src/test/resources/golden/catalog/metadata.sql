SELECT table_type FROM iceberg.information_schema.tables WHERE table_schema = 'training' AND table_name = 'click_model';

SELECT 1 FROM iceberg.information_schema.tables WHERE table_schema = 'features' AND table_name = 'user_profile';

SELECT column_name FROM iceberg.information_schema.columns WHERE table_schema = 'training' AND table_name = 'click_model' ORDER BY ordinal_position;

SELECT column_name FROM iceberg.information_schema.columns WHERE table_schema = 'features' AND table_name = 'article_live__v1' AND is_nullable = 'NO';

SELECT comment FROM system.metadata.table_comments WHERE catalog_name = 'iceberg' AND schema_name = 'training' AND table_name = 'click_model';

SHOW COLUMNS FROM iceberg.training.click_model;

SELECT snapshot_id FROM iceberg.training."click_model$refs" WHERE name = 'main' AND type = 'BRANCH';

SELECT snapshot_id FROM iceberg.features."article_live__v1$snapshots" ORDER BY committed_at DESC LIMIT 1;

SELECT snapshot_id, coalesce(element_at(summary, 'added-data-files'), '0'), coalesce(element_at(summary, 'added-files-size'), '0') FROM iceberg.features."user_engagement__v2$snapshots" ORDER BY committed_at DESC LIMIT 1;

SELECT 1 FROM iceberg.training."click_model$snapshots" WHERE snapshot_id = 8243112409001;

SELECT CAST(snapshot_id AS varchar) || ' (' || CAST(committed_at AS varchar) || ')' FROM iceberg.training."click_model$snapshots" ORDER BY committed_at DESC LIMIT 5;

SELECT coalesce(sum(file_size_in_bytes), 0) FROM iceberg.training."click_model$files";

SELECT * FROM iceberg.training.click_model FOR VERSION AS OF 8243112409001;

SELECT CAST(to_unixtime(current_timestamp) * 1000 AS bigint);

SELECT snapshot_id, CAST(to_unixtime(committed_at) * 1000 AS bigint) FROM iceberg.features."clicks__v1$snapshots" ORDER BY committed_at;

SELECT count(*), count_if(file_size_in_bytes < 33554432) FROM iceberg.features."clicks__v1$files";

SELECT count(*) FROM (SELECT 1 FROM iceberg.features."clicks__v1$files" WHERE file_size_in_bytes < 33554432 GROUP BY partition HAVING count(*) > 1);

SELECT * FROM iceberg.features."clicks__v1$partitions";
