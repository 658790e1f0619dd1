CREATE SCHEMA IF NOT EXISTS iceberg.training;

CREATE OR REPLACE TABLE iceberg.training.click_model
COMMENT 'Clicks. [training set click_model; as of shown_at; label clicked; features from ]'
AS
SELECT user_id, shown_at, clicked FROM dwh.impressions;

COMMENT ON COLUMN "iceberg"."training"."click_model"."user_id" IS 'From the spine.';

COMMENT ON COLUMN "iceberg"."training"."click_model"."shown_at" IS 'Spine time: features are as of this moment.';

COMMENT ON COLUMN "iceberg"."training"."click_model"."clicked" IS 'Label, from the spine.';
