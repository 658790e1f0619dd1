SELECT table_type FROM iceberg.information_schema.tables WHERE table_schema = 'training' AND table_name = 'click_model';

SELECT 1 FROM iceberg.information_schema.tables WHERE table_schema = 'features' AND table_name = 'user_profile';

SELECT column_name FROM iceberg.information_schema.columns WHERE table_schema = 'training' AND table_name = 'click_model' ORDER BY ordinal_position;

SELECT column_name FROM iceberg.information_schema.columns WHERE table_schema = 'features' AND table_name = 'article_live__v1' AND is_nullable = 'NO';

SELECT comment FROM system.metadata.table_comments WHERE catalog_name = 'iceberg' AND schema_name = 'training' AND table_name = 'click_model';

SELECT snapshot_id FROM iceberg.features."article_live__v1$snapshots";

SELECT sum(file_size_in_bytes) FROM iceberg.training."click_model$files";
