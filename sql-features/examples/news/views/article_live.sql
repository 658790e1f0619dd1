-- view: article_live
-- entity: article
-- event_time: updated_at
-- push: true
-- online: false
-- ttl: 1d
-- owner: feed
-- description: Live reaction counters of an article over the last 5 minutes,
--   pushed by the feed's stream processor as they change.
CREATE TABLE article_live (
  article_id bigint,
  updated_at timestamp(6),
  reads_5m   bigint COMMENT 'reads in the 5 minutes up to updated_at',
  likes_5m   bigint,
  shares_5m  bigint
)
