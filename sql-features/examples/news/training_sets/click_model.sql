-- training_set: click_model
-- description: One row per impression, labelled with whether it was clicked, with the reader's
--   and the article's features as they were when the article was shown.
-- timestamp: shown_at
-- label: clicked
-- features: user_engagement:*, article_popularity:*, article_ctr:ctr_7d,
--   user_category_affinity:clicks_30d, user_profile:is_premium, article_profile:word_count
SELECT
  i.impression_id,
  i.user_id,
  i.article_id,
  a.category,
  i.shown_at,
  i.position,
  i.clicked
FROM dwh.impressions i
JOIN dwh.articles a ON a.article_id = i.article_id
