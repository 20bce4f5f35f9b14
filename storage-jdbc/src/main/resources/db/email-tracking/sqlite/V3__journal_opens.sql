-- Opens as they arrive: one appended row each, committed before the pixel is answered. The table
-- has no index but its row id, so a burst of opens costs a commit a few pages, not a page of the
-- event index and of the counters per email. The store folds the rows into et_open, the email's
-- counters and the campaign's aggregates in larger transactions, oldest first, deleting them as
-- it goes: when its writer has time to spare, when the table grows past a bound, and before any
-- read, so a read never misses an answered open. Row ids are never used again, so that a fold can
-- go on after the last row it took.
CREATE TABLE et_open_journal (
    journal_id  INTEGER PRIMARY KEY AUTOINCREMENT,
    tracking_id TEXT NOT NULL,
    opened_at   INTEGER NOT NULL,
    ip_address  TEXT,
    user_agent  TEXT,
    verdict     TEXT NOT NULL,
    reason      TEXT
);
