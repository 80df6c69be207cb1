-- Every service's outbox keeps events inline and uncompressed up to a page (intake's has since
-- its 0001). An event of ~2 KB (a case.received, a letter's or a visit's) is just over the
-- 2,032-byte tuple size at which PostgreSQL starts compressing (pglz) a row's values: CPU spent
-- on a row the relay deletes within a second (COPY of 100,000 real case.received: 1.9-3.0 ->
-- 1.1-1.7 CPU-s of the backend). Bigger rows are still compressed and moved out of line.
ALTER TABLE outbox SET (toast_tuple_target = 8160);
