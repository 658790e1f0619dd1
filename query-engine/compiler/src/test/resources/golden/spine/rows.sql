SELECT user_id, shown_at, label, name
FROM (VALUES
  (CAST(1 AS bigint), CAST('2026-03-01 10:00:00' AS timestamp(6)), true, CAST(NULL AS varchar)),
  (CAST(2 AS bigint), CAST('2026-03-02 11:30:00' AS timestamp(6)), CAST(NULL AS boolean), 'O''Hara')
) AS spine(user_id, shown_at, label, name);

SELECT CAST(NULL AS bigint) AS user_id, CAST(NULL AS bigint) AS shown_at WHERE false;
