-- recipient_fold is the key by which an erasure finds a recipient's emails however the address was
-- written (letter case, Unicode form, the spelling of an international domain), computed by the
-- store as RecipientKeys of the storage SPI says. An email stored before this column has none, and
-- is found as it was: by recipient_key, its address lower-cased.
ALTER TABLE et_email ADD COLUMN recipient_fold TEXT;
CREATE INDEX et_email_recipient_fold ON et_email (recipient_fold);
