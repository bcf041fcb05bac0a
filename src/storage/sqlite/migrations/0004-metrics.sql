-- Per-minute counters of the provider's own activity, for the admin dashboard. Every process adds
-- its counts into the bucket of (series, minute), so the buckets hold the whole installation's;
-- buckets older than 24 hours are swept with the expired rows.

CREATE TABLE metric_samples (
  series TEXT NOT NULL,
  -- Start of the minute, epoch seconds.
  minute INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (series, minute)
);
CREATE INDEX metric_samples_minute ON metric_samples (minute);
