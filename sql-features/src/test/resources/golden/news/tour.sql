-- table-sizes
SELECT "table", "rows", "from", "to"
FROM (
  SELECT 1 AS ord, 'users' AS "table", count(*) AS "rows", min(signup_at) AS "from", max(signup_at) AS "to" FROM iceberg.dwh.users
  UNION ALL
  SELECT 2, 'articles', count(*), min(published_at), max(published_at) FROM iceberg.dwh.articles
  UNION ALL
  SELECT 3, 'impressions', count(*), min(shown_at), max(shown_at) FROM iceberg.dwh.impressions
  UNION ALL
  SELECT 4, 'reactions', count(*), min(reacted_at), max(reacted_at) FROM iceberg.dwh.reactions
)
ORDER BY ord;

-- category-ctr
SELECT
  a.category,
  count(*) AS impressions,
  count_if(i.clicked) AS clicks,
  round(100e0 * count_if(i.clicked) / count(*), 2) AS ctr_percent
FROM iceberg.dwh.impressions i
JOIN iceberg.dwh.articles a ON a.article_id = i.article_id
GROUP BY a.category
ORDER BY ctr_percent DESC, a.category;

-- top-articles
SELECT
  a.article_id,
  a.title,
  count_if(i.clicked) AS clicks,
  round(avg(r.dwell_seconds), 1) AS avg_dwell_s,
  count_if(r.liked) AS likes
FROM iceberg.dwh.impressions i
JOIN iceberg.dwh.articles a ON a.article_id = i.article_id
LEFT JOIN iceberg.dwh.reactions r ON r.impression_id = i.impression_id
GROUP BY a.article_id, a.title
ORDER BY clicks DESC, a.article_id
LIMIT 5;

-- user-timeline
SELECT i.shown_at, a.category, a.title, i.position, i.clicked
FROM iceberg.dwh.impressions i
JOIN iceberg.dwh.articles a ON a.article_id = i.article_id
WHERE i.user_id = 1
ORDER BY i.shown_at DESC, i.impression_id
LIMIT 5;
