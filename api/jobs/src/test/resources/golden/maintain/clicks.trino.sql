ALTER TABLE iceberg.features.clicks__v1 EXECUTE optimize(file_size_threshold => '33554432B');

ALTER TABLE iceberg.features.clicks__v1 EXECUTE expire_snapshots(retention_threshold => '604803s');
