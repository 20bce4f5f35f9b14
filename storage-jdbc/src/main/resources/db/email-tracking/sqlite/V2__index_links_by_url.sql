-- Erasing a recipient takes the links that only the erased email registered out of its
-- campaign's top links; this index finds the other emails that registered a link.
CREATE INDEX et_link_url ON et_link (url_key);
