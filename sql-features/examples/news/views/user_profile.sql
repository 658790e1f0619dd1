-- view: user_profile
-- entity: user
-- event_time: signup_at
-- online: true
-- owner: growth
-- tags: profile, demographics, user
-- description: Who a user is: country, age band and subscription, from sign-up on.
SELECT
  user_id,
  signup_at,
  country,
  age_band,
  is_premium
FROM dwh.users
