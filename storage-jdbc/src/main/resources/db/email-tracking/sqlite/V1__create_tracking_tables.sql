-- The email-tracking schema for SQLite. Times are epoch milliseconds (UTC).
-- Applied by the store itself, or by the host's own migration tool; every name starts
-- with et_ so that the tables can live beside the host's own.

CREATE TABLE et_campaign (
    campaign_id TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    owner       TEXT NOT NULL,
    tenant      TEXT,
    created_at  INTEGER NOT NULL
);

-- One row per campaign, updated in the transaction of every event that changes it, so a
-- report never reads the events, and stays the same when event rows are capped, deleted for
-- retention or erased. The *_count columns of emails count distinct emails; open_count and
-- click_count count events. person_* figures count only events made by people, with the opens
-- their clicks and replies imply.
CREATE TABLE et_campaign_totals (
    campaign_id           TEXT PRIMARY KEY REFERENCES et_campaign (campaign_id),
    sent_count            INTEGER NOT NULL DEFAULT 0,
    opened_count          INTEGER NOT NULL DEFAULT 0,
    clicked_count         INTEGER NOT NULL DEFAULT 0,
    replied_count         INTEGER NOT NULL DEFAULT 0,
    bounced_count         INTEGER NOT NULL DEFAULT 0,
    unsubscribed_count    INTEGER NOT NULL DEFAULT 0,
    open_delay_ms         INTEGER NOT NULL DEFAULT 0,
    click_delay_ms        INTEGER NOT NULL DEFAULT 0,
    open_count            INTEGER NOT NULL DEFAULT 0,
    click_count           INTEGER NOT NULL DEFAULT 0,
    machine_open_count    INTEGER NOT NULL DEFAULT 0,
    machine_click_count   INTEGER NOT NULL DEFAULT 0,
    person_opened_count   INTEGER NOT NULL DEFAULT 0,
    person_clicked_count  INTEGER NOT NULL DEFAULT 0,
    person_open_delay_ms  INTEGER NOT NULL DEFAULT 0,
    person_click_delay_ms INTEGER NOT NULL DEFAULT 0
);

-- first_open_at is the first open seen or implied: a pixel fetch, a click by a person or a
-- reply. recipient_key is the address lower-cased by the store, the same way on both databases,
-- so that a recipient is erased by an index lookup whatever case the address is given in.
CREATE TABLE et_email (
    tracking_id           TEXT PRIMARY KEY,
    campaign_id           TEXT NOT NULL REFERENCES et_campaign (campaign_id),
    recipient_email       TEXT NOT NULL,
    recipient_key         TEXT NOT NULL,
    message_id            TEXT NOT NULL UNIQUE,
    sent_at               INTEGER NOT NULL,
    open_count            INTEGER NOT NULL DEFAULT 0,
    click_count           INTEGER NOT NULL DEFAULT 0,
    first_open_at         INTEGER,
    last_open_at          INTEGER,
    first_click_at        INTEGER,
    replied_at            INTEGER,
    reminder_sent_at      INTEGER,
    bounced_at            INTEGER,
    unsubscribed_at       INTEGER,
    person_first_open_at  INTEGER,
    person_first_click_at INTEGER
);
CREATE INDEX et_email_campaign ON et_email (campaign_id);
CREATE INDEX et_email_recipient ON et_email (recipient_key);

-- Links are keyed by the SHA-256 of their text, as in the PostgreSQL schema (where a long URL
-- could not be an index entry), so that both databases run the same statements.
CREATE TABLE et_link (
    tracking_id TEXT NOT NULL REFERENCES et_email (tracking_id),
    url_key     BLOB NOT NULL,
    url         TEXT NOT NULL,
    PRIMARY KEY (tracking_id, url_key)
);

CREATE TABLE et_open (
    open_id     INTEGER PRIMARY KEY,
    tracking_id TEXT NOT NULL REFERENCES et_email (tracking_id),
    opened_at   INTEGER NOT NULL,
    ip_address  TEXT,
    user_agent  TEXT,
    verdict     TEXT NOT NULL CHECK (verdict IN ('human', 'proxy', 'machine')),
    reason      TEXT
);
CREATE INDEX et_open_email ON et_open (tracking_id, open_id);

CREATE TABLE et_click (
    click_id    INTEGER PRIMARY KEY,
    tracking_id TEXT NOT NULL REFERENCES et_email (tracking_id),
    clicked_at  INTEGER NOT NULL,
    url         TEXT NOT NULL,
    ip_address  TEXT,
    user_agent  TEXT,
    verdict     TEXT NOT NULL CHECK (verdict IN ('human', 'proxy', 'machine')),
    reason      TEXT
);
CREATE INDEX et_click_email ON et_click (tracking_id, click_id);

CREATE TABLE et_reply (
    reply_id         INTEGER PRIMARY KEY,
    tracking_id      TEXT NOT NULL REFERENCES et_email (tracking_id),
    replied_at       INTEGER NOT NULL,
    message          TEXT,
    attachment_count INTEGER NOT NULL,
    message_id       TEXT
);
CREATE INDEX et_reply_email ON et_reply (tracking_id, reply_id);
-- A mail flow that retries a reply sends its Message-ID again: the second insert does nothing,
-- also when two stores on one database insert it at once.
CREATE UNIQUE INDEX et_reply_message ON et_reply (tracking_id, message_id)
    WHERE message_id IS NOT NULL;

CREATE TABLE et_reminder (
    reminder_id INTEGER PRIMARY KEY,
    tracking_id TEXT NOT NULL REFERENCES et_email (tracking_id),
    sent_at     INTEGER NOT NULL
);
CREATE INDEX et_reminder_email ON et_reminder (tracking_id, reminder_id);

CREATE TABLE et_bounce (
    bounce_id   INTEGER PRIMARY KEY,
    tracking_id TEXT NOT NULL REFERENCES et_email (tracking_id),
    bounced_at  INTEGER NOT NULL,
    bounce_type TEXT NOT NULL CHECK (bounce_type IN ('hard', 'soft')),
    reason      TEXT
);
CREATE INDEX et_bounce_email ON et_bounce (tracking_id, bounce_id);

CREATE TABLE et_unsubscribe (
    unsubscribe_id  INTEGER PRIMARY KEY,
    tracking_id     TEXT NOT NULL REFERENCES et_email (tracking_id),
    unsubscribed_at INTEGER NOT NULL
);
CREATE INDEX et_unsubscribe_email ON et_unsubscribe (tracking_id, unsubscribe_id);

-- Clicks per link of a campaign, for the top-links list.
CREATE TABLE et_campaign_link (
    campaign_id TEXT NOT NULL REFERENCES et_campaign (campaign_id),
    url_key     BLOB NOT NULL,
    url         TEXT NOT NULL,
    clicks      INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, url_key)
);

-- Events per campaign and 15-minute UTC bucket, for the timeline: every zone offset in use is
-- a multiple of 15 minutes, so a bucket never straddles a local midnight.
CREATE TABLE et_campaign_bucket (
    campaign_id  TEXT NOT NULL REFERENCES et_campaign (campaign_id),
    bucket_start INTEGER NOT NULL,
    opens        INTEGER NOT NULL,
    clicks       INTEGER NOT NULL,
    replies      INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, bucket_start)
);

-- An attachment's row is written after its last chunk: it exists only once complete. A file
-- sent again for the same email, with the same name and bytes, is kept once: name_key is the
-- SHA-256 of the name (which may be longer than an index entry), content_sha256 that of the bytes.
CREATE TABLE et_attachment (
    attachment_seq INTEGER PRIMARY KEY,
    attachment_id  TEXT NOT NULL UNIQUE,
    tracking_id    TEXT NOT NULL REFERENCES et_email (tracking_id),
    file_name      TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    file_size      INTEGER NOT NULL,
    chunk_count    INTEGER NOT NULL,
    uploaded_at    INTEGER NOT NULL,
    name_key       BLOB NOT NULL,
    content_sha256 BLOB NOT NULL,
    UNIQUE (tracking_id, name_key, content_sha256)
);
CREATE INDEX et_attachment_email ON et_attachment (tracking_id, attachment_seq);

CREATE TABLE et_attachment_chunk (
    attachment_id TEXT NOT NULL,
    chunk_no      INTEGER NOT NULL,
    content       BLOB NOT NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (attachment_id, chunk_no)
);
CREATE INDEX et_attachment_chunk_created ON et_attachment_chunk (created_at);

CREATE TABLE et_setting (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
