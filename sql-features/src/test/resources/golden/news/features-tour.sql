-- user-engagement
SELECT user_id, event_ts, reads_7d, dwell_seconds_7d, reads_30d, likes_30d
FROM iceberg.features.user_engagement
WHERE user_id = 1
ORDER BY event_ts DESC
LIMIT 5;

-- feature-catalog
SELECT view_name, count(*) AS features, arbitrary(owner) AS owner, arbitrary(materialization) AS materialization, bool_or(online) AS online
FROM iceberg.features.asof_features
GROUP BY view_name
ORDER BY view_name;
