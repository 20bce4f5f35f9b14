-- tracking_id names the email whose upload wrote the chunk, so that erasing a recipient also
-- deletes the chunks of an upload that a crash cut off before its description was written, which
-- no attachment row leads to. Chunks written before this column have none.
ALTER TABLE et_attachment_chunk ADD COLUMN tracking_id TEXT;
CREATE INDEX et_attachment_chunk_email ON et_attachment_chunk (tracking_id);
