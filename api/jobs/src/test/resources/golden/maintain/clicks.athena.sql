ALTER TABLE `features`.`clicks__v1` SET TBLPROPERTIES ('optimize_rewrite_min_data_file_size_bytes'='33554432');

OPTIMIZE features.clicks__v1 REWRITE DATA USING BIN_PACK;

ALTER TABLE `features`.`clicks__v1` SET TBLPROPERTIES ('vacuum_max_snapshot_age_seconds'='604803');

VACUUM features.`clicks__v1`;
