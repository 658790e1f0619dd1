-- view: reaction_events
-- entity: article
-- event_time: reacted_at
-- push: true
-- owner: feed
-- tags: reactions, stream, article
-- description: Raw reactions, one row per reaction, pushed by the feed as readers react;
--   article_trending counts them as they are pushed.
CREATE TABLE reaction_events (
  article_id    bigint,
  reacted_at    timestamp(6),
  dwell_seconds integer COMMENT 'seconds spent reading',
  liked         boolean
)
