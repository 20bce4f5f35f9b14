-- tracking_id names the email whose upload wrote the chunk, so that erasing a recipient also
-- deletes the chunks of an upload that a crash cut off before its description was written, which
-- no attachment row leads to. The reference makes a chunk that an upload goes on writing after the
-- erasure fail, and with it the upload, instead of leaving one behind for a crash to keep. Chunks
-- written before this column, or by a store of an earlier release, have none.
ALTER TABLE et_attachment_chunk ADD COLUMN tracking_id TEXT REFERENCES et_email (tracking_id);
CREATE INDEX et_attachment_chunk_email ON et_attachment_chunk (tracking_id);
