-- view: article_profile
-- entity: article
-- event_time: published_at
-- owner: editorial
-- tags: profile, content, article
-- description: What an article is: its section and length, from the moment it is published.
--   Virtual: computed when read, never stored.
SELECT
  article_id,
  published_at,
  category,
  word_count
FROM dwh.articles
