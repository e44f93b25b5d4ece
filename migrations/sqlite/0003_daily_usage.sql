-- Licenses consumed per pool per calendar day in the tenant's zone (net: a released user
-- license counts −1). Ingestion adds to it in the same transaction as the counters, so the
-- daily chart reads one small row per day however many events made it.
create table daily_usage (
    tenant_id bigint not null references tenants (id) on delete cascade,
    pool_id bigint not null references pools (id) on delete cascade,
    day text not null,
    consumed bigint not null default 0,
    primary key (tenant_id, pool_id, day)
);
