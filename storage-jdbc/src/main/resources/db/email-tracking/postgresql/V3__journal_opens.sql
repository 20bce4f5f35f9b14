-- Opens as they arrive: one appended row each, committed before the pixel is answered. The table
-- has no index but its key, so a burst of opens costs the server an append per open, not a locked
-- counter row and an event row with its indexes. A store folds the rows into et_open, the email's
-- counters and the campaign's aggregates in larger transactions, oldest first, deleting them as
-- it goes: when its writer has time to spare, when the table grows past a bound, and before any
-- read, so a read never misses an answered open, whichever node answered it.
CREATE TABLE et_open_journal (
    journal_id  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tracking_id TEXT NOT NULL,
    opened_at   BIGINT NOT NULL,
    ip_address  TEXT,
    user_agent  TEXT,
    verdict     TEXT NOT NULL,
    reason      TEXT
);
-- Rows are deleted about as fast as they are appended: vacuum the table after every ten thousand,
-- not after a share of its size, so that the scans for its first and last rows soon stop stepping
-- over the dead ones.
ALTER TABLE et_open_journal
    SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000);
