-- GIN's fast update queues new entries in a pending list (up to 4 MB by default) that every search
-- reads in full until VACUUM merges it; the embedded database has no autovacuum, so after a sync the
-- list stayed full. Measured on 25k chunks in PGlite: ~450 pages read per term searched, and search
-- p50 ~1.5x slower than with the list merged. A 64 kB list (the minimum) bounds that scan; inserts
-- merge it as it fills, which measured faster than the default (5,000 chunks: 1.6 s vs 2.3 s).
ALTER INDEX chunks_tsv_idx SET (gin_pending_list_limit = 64);
SELECT gin_clean_pending_list('chunks_tsv_idx'::regclass);
