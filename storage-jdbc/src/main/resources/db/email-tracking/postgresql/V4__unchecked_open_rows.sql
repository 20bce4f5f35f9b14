-- Open rows are written only by a fold, for emails whose counter rows the same transaction has
-- updated, and so locked against erasure until it commits; erasure deletes an email's open rows
-- before the email. The reference to et_email checked again what the fold knows already, and cost
-- an index lookup and a row lock per open: about a quarter of a fold's time on this database.
ALTER TABLE et_open DROP CONSTRAINT et_open_tracking_id_fkey;
