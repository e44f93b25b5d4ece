-- Alerts and their emails (SPEC.md "Alerts"). Nothing wrote `alerts` or `outbox` before this
-- version, so both are recreated empty with their final shape. Kept in step with
-- ../postgres/0004_alerts.sql.

drop table outbox;
drop table alerts;

-- The refill that last re-armed a pool's thresholds (0: none yet); with `alerted_percent` it
-- is the pool's latch: a threshold is announced once per cycle.
alter table pools add column alert_cycle bigint not null default 0;

-- One row per alert decided. The unique key makes a second server instance's attempt to raise
-- the same alert a no-op. Usage alerts keep the counters they were decided on.
create table alerts (
    id integer primary key,
    tenant_id bigint not null references tenants (id) on delete cascade,
    pool_id bigint references pools (id) on delete cascade,
    kind text not null,
    dedup_key text not null,
    -- The threshold reached (threshold, auto_refill, test).
    percent integer,
    -- Lower thresholds crossed in the same jump, recorded as covered by this one: "75,85".
    covers text not null default '',
    purchased bigint,
    consumed bigint,
    -- auto_refill: the ledger row it wrote; threshold: the refill that later re-armed it.
    refill_id bigint references refills (id) on delete set null,
    rearmed_by bigint references refills (id) on delete set null,
    -- contract_end: the end date and the notice's days; forecast: the projected run-out date.
    on_date text,
    days integer,
    -- test: the administrator who asked for it.
    requested_by text,
    created_at bigint not null,
    constraint alerts_dedup unique (tenant_id, dedup_key),
    constraint alerts_kind_check check (kind in (
        'threshold', 'auto_refill', 'auto_refill_cap', 'contract_end', 'forecast', 'test'
    ))
);
create index alerts_log on alerts (tenant_id, id);
create index alerts_pool on alerts (pool_id, kind);

-- One email per alert per recipient, written in the transaction that decided the alert; the
-- delivery worker renders it in the tenant's language, sends it, retries it, or gives up.
create table outbox (
    id integer primary key,
    tenant_id bigint not null references tenants (id) on delete cascade,
    alert_id bigint not null references alerts (id) on delete cascade,
    recipient text not null,
    state text not null default 'queued',
    created_at bigint not null,
    attempts integer not null default 0,
    next_attempt_at bigint not null,
    locked_until bigint,
    sent_at bigint,
    last_error text,
    constraint outbox_one_per_recipient unique (alert_id, recipient),
    constraint outbox_state_check check (state in ('queued', 'sent', 'failed', 'dead'))
);
create index outbox_due on outbox (state, next_attempt_at);
