-- The Subscription tab and the console read the newest ledger rows of a tenant across its pools;
-- this index answers that in the order asked, however long the ledger grows.
create index refills_newest on refills (tenant_id, refilled_at desc, id desc);
