-- The demo news service's warehouse, generated inside the engine from a seed.
--
-- Randomness is xxhash64 of "<seed>/<stream>/<id>": the same seed gives the same rows on any engine
-- run, and a row's values do not depend on how many rows are generated. Three independent 20-bit
-- slices are taken from each hash (bits 0-19, 20-39, 40-59), plus bits 60-62 where 8 values do.
-- Placeholders ${...} are numbers or identifiers checked by NewsWarehouse before substitution.

-- statement: users
CREATE OR REPLACE TABLE ${catalog}.${schema}.users (
  user_id bigint COMMENT 'User key.',
  signup_at timestamp(6) COMMENT 'When the user registered (UTC).',
  country varchar COMMENT 'ISO country code of the user''s account.',
  age_band varchar COMMENT 'Self-declared age band.',
  is_premium boolean COMMENT 'Whether the user pays for a subscription.'
)
COMMENT 'Registered users of the demo news service (generated, seed ${seed}).'

-- statement: users-rows
INSERT INTO ${catalog}.${schema}.users
WITH ids AS (
  SELECT CAST(o.x * 10000 + i.y + 1 AS bigint) AS user_id
  FROM UNNEST(sequence(0, ${users_outer})) AS o(x)
  CROSS JOIN UNNEST(sequence(0, 9999)) AS i(y)
  WHERE o.x * 10000 + i.y + 1 <= ${users}
),
hashed AS (
  SELECT user_id, from_big_endian_64(xxhash64(to_utf8('${seed}/user/' || CAST(user_id AS varchar)))) AS h
  FROM ids
)
SELECT
  user_id,
  CAST(TIMESTAMP '2025-01-01 00:00:00' + bitwise_and(h, 1048575) * 30 * INTERVAL '1' SECOND AS timestamp(6)),
  element_at(ARRAY['DE', 'FR', 'GB', 'US', 'JP', 'BR'], CAST(1 + bitwise_and(bitwise_right_shift(h, 20), 1048575) % 6 AS integer)),
  element_at(ARRAY['18-24', '25-34', '35-44', '45-54', '55+'], CAST(1 + bitwise_and(bitwise_right_shift(h, 40), 1048575) % 5 AS integer)),
  bitwise_and(bitwise_right_shift(h, 40), 1048575) / 5 % 10 = 0
FROM hashed

-- statement: articles
CREATE OR REPLACE TABLE ${catalog}.${schema}.articles (
  article_id bigint COMMENT 'Article key; ids increase with publish time.',
  category varchar COMMENT 'Editorial section.',
  title varchar COMMENT 'Headline.',
  word_count integer COMMENT 'Length of the article body in words.',
  published_at timestamp(6) COMMENT 'When the article went live (UTC).'
)
COMMENT 'Articles of the demo news service, published from 7 days before the first impression on (generated, seed ${seed}).'

-- statement: articles-rows
INSERT INTO ${catalog}.${schema}.articles
WITH ids AS (
  SELECT CAST(o.x * 10000 + i.y + 1 AS bigint) AS article_id
  FROM UNNEST(sequence(0, ${articles_outer})) AS o(x)
  CROSS JOIN UNNEST(sequence(0, 9999)) AS i(y)
  WHERE o.x * 10000 + i.y + 1 <= ${articles}
),
hashed AS (
  SELECT article_id, from_big_endian_64(xxhash64(to_utf8('${seed}/article/' || CAST(article_id AS varchar)))) AS h
  FROM ids
),
shaped AS (
  SELECT
    article_id,
    element_at(
      ARRAY['world', 'politics', 'business', 'technology', 'science', 'sports', 'culture', 'health'],
      CAST(1 + bitwise_and(bitwise_right_shift(h, 20), 1048575) % 8 AS integer)) AS category,
    h
  FROM hashed
)
SELECT
  article_id,
  category,
  'Story ' || CAST(article_id AS varchar) || ' in ' || category,
  CAST(200 + bitwise_and(bitwise_right_shift(h, 40), 1048575) % 1800 AS integer),
  -- evenly spread over 97 days (7 before the first impression + 90), in id order
  CAST(TIMESTAMP '2025-12-25 00:00:00' + ((article_id - 1) * 8380800 / ${articles}) * INTERVAL '1' SECOND AS timestamp(6))
FROM shaped

-- statement: impressions
CREATE OR REPLACE TABLE ${catalog}.${schema}.impressions (
  impression_id bigint COMMENT 'Impression key.',
  user_id bigint COMMENT 'The user who was shown the article.',
  article_id bigint COMMENT 'The article shown.',
  shown_at timestamp(6) COMMENT 'When the article was shown (UTC).',
  position integer COMMENT 'Slot on the page, 1 at the top.',
  device varchar COMMENT 'web, ios or android.',
  clicked boolean COMMENT 'Whether the user opened the article from this impression.'
)
COMMENT 'Articles shown to users over 90 days from 2026-01-01, with whether they were clicked (generated, seed ${seed}).'
WITH (partitioning = ARRAY['day(shown_at)'])

-- statement: impressions-rows
INSERT INTO ${catalog}.${schema}.impressions
WITH ids AS (
  SELECT CAST(o.x * 10000 + i.y + 1 AS bigint) AS impression_id
  FROM UNNEST(sequence(0, ${impressions_outer})) AS o(x)
  CROSS JOIN UNNEST(sequence(0, 9999)) AS i(y)
  WHERE o.x * 10000 + i.y + 1 <= ${impressions}
),
hashed AS (
  SELECT
    impression_id,
    from_big_endian_64(xxhash64(to_utf8('${seed}/impression/' || CAST(impression_id AS varchar)))) AS h,
    from_big_endian_64(xxhash64(to_utf8('${seed}/impression-2/' || CAST(impression_id AS varchar)))) AS h2
  FROM ids
),
drawn AS (
  SELECT
    impression_id,
    h2,
    -- 90 days in seconds, at about 7 s resolution
    bitwise_and(h, 1048575) * 7776000 / 1048576 AS second_of_window,
    -- active users have low ids: the square of a uniform draw
    CAST(1 + floor(${users} * power(bitwise_and(bitwise_right_shift(h, 20), 1048575) / 1048576e0, 2)) AS bigint) AS user_id,
    power(bitwise_and(bitwise_right_shift(h, 40), 1048575) / 1048576e0, 2) AS article_age_draw
  FROM hashed
),
placed AS (
  SELECT
    impression_id,
    h2,
    user_id,
    CAST(TIMESTAMP '2026-01-01 00:00:00' + second_of_window * INTERVAL '1' SECOND AS timestamp(6)) AS shown_at,
    -- the newest article already published, minus an age skewed towards fresh stories (7 days at most)
    greatest(
      1,
      (second_of_window + 604800) * ${articles} / 8380800 + 1 - CAST(floor(${articles} * 7 / 97 * article_age_draw) AS bigint)
    ) AS article_id
  FROM drawn
)
SELECT
  p.impression_id,
  p.user_id,
  p.article_id,
  p.shown_at,
  CAST(1 + bitwise_and(p.h2, 1048575) % 10 AS integer) AS position,
  element_at(ARRAY['web', 'ios', 'android'], CAST(1 + bitwise_and(bitwise_right_shift(p.h2, 20), 1048575) % 3 AS integer)),
  -- click probability: the article's hidden quality, doubled and a half for the user's favourite
  -- category (bits 60-62 of the user's hash), lower further down the page
  bitwise_and(bitwise_right_shift(p.h2, 40), 1048575) / 1048576e0
    < (0.02 + 0.10 * bitwise_and(from_big_endian_64(xxhash64(to_utf8('${seed}/article/' || CAST(p.article_id AS varchar)))), 1048575) / 1048576e0)
      * IF(
          element_at(
            ARRAY['world', 'politics', 'business', 'technology', 'science', 'sports', 'culture', 'health'],
            CAST(1 + bitwise_and(bitwise_right_shift(from_big_endian_64(xxhash64(to_utf8('${seed}/user/' || CAST(p.user_id AS varchar)))), 60), 7) AS integer))
            = a.category,
          2.5,
          1.0)
      * (1.3 - 0.06 * (1 + bitwise_and(p.h2, 1048575) % 10))
FROM placed p
JOIN ${catalog}.${schema}.articles a ON a.article_id = p.article_id

-- statement: reactions
CREATE OR REPLACE TABLE ${catalog}.${schema}.reactions (
  reaction_id bigint COMMENT 'Reaction key; equal to the impression it follows.',
  impression_id bigint COMMENT 'The clicked impression.',
  user_id bigint COMMENT 'The user who read the article.',
  article_id bigint COMMENT 'The article read.',
  reacted_at timestamp(6) COMMENT 'When the user left the article (UTC).',
  ingested_at timestamp(6) COMMENT 'When the reaction landed in the warehouse (UTC), 1 to 90 minutes later.',
  dwell_seconds integer COMMENT 'Seconds spent reading.',
  liked boolean COMMENT 'Whether the user liked the article.',
  shared boolean COMMENT 'Whether the user shared the article.'
)
COMMENT 'What users did with the articles they opened: dwell time, likes and shares (generated, seed ${seed}).'
WITH (partitioning = ARRAY['day(reacted_at)'])

-- statement: reactions-rows
INSERT INTO ${catalog}.${schema}.reactions
WITH hashed AS (
  SELECT
    impression_id, user_id, article_id, shown_at,
    from_big_endian_64(xxhash64(to_utf8('${seed}/reaction/' || CAST(impression_id AS varchar)))) AS h,
    from_big_endian_64(xxhash64(to_utf8('${seed}/ingest/' || CAST(impression_id AS varchar)))) AS h2
  FROM ${catalog}.${schema}.impressions
  WHERE clicked
),
drawn AS (
  SELECT
    impression_id, user_id, article_id, shown_at,
    CAST(5 + floor(600 * power(bitwise_and(h, 1048575) / 1048576e0, 2)) AS integer) AS dwell_seconds,
    bitwise_and(bitwise_right_shift(h, 20), 1048575) / 1048576e0 AS like_draw,
    bitwise_and(bitwise_right_shift(h, 40), 1048575) / 1048576e0 AS share_draw,
    -- the warehouse load lags 1 to 90 minutes behind the reaction
    60 + bitwise_and(h2, 1048575) % 5341 AS ingest_delay_seconds
  FROM hashed
)
SELECT
  impression_id,
  impression_id,
  user_id,
  article_id,
  shown_at + dwell_seconds * INTERVAL '1' SECOND,
  shown_at + (dwell_seconds + ingest_delay_seconds) * INTERVAL '1' SECOND,
  dwell_seconds,
  -- long reads are liked more often
  like_draw < 0.1 + 0.4 * dwell_seconds / 605e0,
  share_draw < 0.05
FROM drawn

-- statement: manifest
CREATE OR REPLACE TABLE ${catalog}.${schema}.demo_manifest
COMMENT 'What generated this schema; written last, so its presence means the load finished.'
AS SELECT
  CAST('${generator}' AS varchar) AS generator,
  CAST(${seed} AS bigint) AS seed,
  CAST(${impressions} AS bigint) AS impressions
