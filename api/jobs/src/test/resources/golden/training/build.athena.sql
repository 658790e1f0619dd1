-- the first build
CREATE DATABASE IF NOT EXISTS `training`;

CREATE TABLE training.click_model
WITH (table_type = 'ICEBERG', is_external = false, location = 's3://bucket/asof/training/click_model/')
AS
SELECT user_id, shown_at, clicked FROM dwh.impressions;

-- a later build (its recorded snapshot is the INSERT's)
CREATE DATABASE IF NOT EXISTS `training`;

DELETE FROM training.click_model;

INSERT INTO training.click_model
SELECT user_id, shown_at, clicked FROM dwh.impressions;
