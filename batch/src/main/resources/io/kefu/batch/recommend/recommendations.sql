-- recommendations: product lists written by `kefu batch recommend --jdbc URL`, one row per customer
-- pseudonym and rank (the columns of Recommendation.avsc). The job runs this file itself: it is
-- idempotent. A run replaces the lists of the customers in its interactions file — each customer's
-- old rows deleted and the new list inserted in the same transaction, so a reader sees the old list
-- or the new one, never a mix or none — and leaves every other customer's rows alone: the table has
-- no tenant column, so runs over different shops' files must not clear each other. The Superset
-- dataset recommendation_coverage joins it to customer_profiles by customer_pseudonym, which the
-- primary key serves.
CREATE TABLE IF NOT EXISTS recommendations (
  customer_pseudonym TEXT             NOT NULL,
  rank               INTEGER          NOT NULL,  -- 1 = best
  item_id            TEXT             NOT NULL,
  score              DOUBLE PRECISION NOT NULL,
  source             TEXT             NOT NULL,  -- ALS or POPULARITY_FALLBACK
  model_version      TEXT             NOT NULL,
  -- the run that wrote the list (the same for every row of a run)
  generated_at       TIMESTAMPTZ      NOT NULL,
  PRIMARY KEY (customer_pseudonym, rank)
);
