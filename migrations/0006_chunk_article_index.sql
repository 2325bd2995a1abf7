-- Chunks by article: replacing an article's chunks (every re-index) and quoting the passage after the
-- matched one both look them up by article; without this index each did a scan of all chunks.
CREATE INDEX chunks_article_idx ON chunks (article_id, position);
