-- user-engagement
SELECT user_id, reads_7d, dwell_seconds_7d, likes_7d, reads_30d, dwell_seconds_30d, likes_30d
FROM iceberg.features.user_engagement
WHERE user_id <= 3
ORDER BY user_id;

-- feature-catalog
SELECT view_name, count(*) AS features, arbitrary(owner) AS owner, arbitrary(materialization) AS materialization, bool_or(online) AS online
FROM iceberg.features.asof_features
GROUP BY view_name
ORDER BY view_name;
