-- Tally's whole domain (SPEC.md). Kept in step with ../postgres/0001_schema.sql: same tables, same
-- columns, same names, so one query text serves both. Instants are epoch milliseconds (bigint) and
-- calendar dates ISO text, because sqlx's Any driver carries neither chrono type across both.

create table tenants (
    id integer primary key,
    slug text not null,
    name text not null,
    state text not null,
    time_zone text not null default 'UTC',
    locale text not null default 'en',
    created_at bigint not null,
    updated_at bigint not null,
    constraint tenants_slug_key unique (slug),
    constraint tenants_state_check check (state in ('trial', 'active', 'suspended', 'expired', 'canceled', 'lab')),
    constraint tenants_locale_check check (locale in ('en', 'pt-BR'))
);

-- Every state change, with who made it and why; the expiry job writes 'system'.
create table tenant_state_changes (
    id integer primary key,
    tenant_id bigint not null references tenants (id) on delete cascade,
    from_state text,
    to_state text not null,
    reason text not null,
    changed_by text not null,
    changed_at bigint not null
);
create index tenant_state_changes_tenant on tenant_state_changes (tenant_id, changed_at);

create table subscriptions (
    tenant_id bigint primary key references tenants (id) on delete cascade,
    license_model text not null,
    contract_start text not null,
    contract_end text not null,
    session_minutes integer,
    -- Comma-separated ascending percents; small, always read whole, edited whole.
    thresholds text not null default '75,85,95,100',
    contract_notice_days text not null default '30,7,1',
    auto_refill boolean not null default false,
    auto_refill_amount bigint not null default 0,
    auto_refill_percent integer not null default 95,
    auto_refill_max_per_month integer not null default 1,
    updated_at bigint not null,
    constraint subscriptions_model_check check (license_model in ('user_based', 'session_based', 'transaction_based')),
    constraint subscriptions_dates_check check (contract_start <= contract_end)
);

create table contacts (
    tenant_id bigint not null references tenants (id) on delete cascade,
    kind text not null,
    email text not null,
    position integer not null,
    primary key (tenant_id, kind, email),
    constraint contacts_kind_check check (kind in ('technical', 'billing'))
);

-- One row per countable license pool. purchased and consumed are counters kept in the same
-- transaction as the ledger row or usage row that changes them, so pages never scan history.
create table pools (
    id integer primary key,
    tenant_id bigint not null references tenants (id) on delete cascade,
    pool_key text not null,
    enforcement text not null default 'hard',
    purchased bigint not null default 0,
    consumed bigint not null default 0,
    -- Highest alert threshold already announced in the current refill cycle (0: none).
    alerted_percent integer not null default 0,
    created_at bigint not null,
    constraint pools_tenant_key unique (tenant_id, pool_key),
    constraint pools_enforcement_check check (enforcement in ('hard', 'soft'))
);

-- License Purchase History: append-only; pools.purchased is always the sum of delta.
create table refills (
    id integer primary key,
    tenant_id bigint not null references tenants (id) on delete cascade,
    pool_id bigint not null references pools (id) on delete cascade,
    refilled_at bigint not null,
    kind text not null,
    delta bigint not null,
    total_after bigint not null,
    actor text not null,
    note text not null default '',
    constraint refills_kind_check check (kind in ('manual', 'auto'))
);
create index refills_pool on refills (tenant_id, pool_id, refilled_at);

-- One row per allocation of a user license; released_at closes it. A user may hold at most one
-- open allocation at a time.
create table user_licenses (
    id integer primary key,
    tenant_id bigint not null references tenants (id) on delete cascade,
    user_id text not null,
    user_name text not null,
    email text not null,
    first_name text not null,
    last_name text not null,
    role text not null,
    allocated_at bigint not null,
    released_at bigint
);
create unique index user_licenses_open on user_licenses (tenant_id, user_id) where released_at is null;
create index user_licenses_history on user_licenses (tenant_id, allocated_at, id);
create index user_licenses_user on user_licenses (tenant_id, user_id);

create table usage_sessions (
    id integer primary key,
    tenant_id bigint not null references tenants (id) on delete cascade,
    session_id text not null,
    started_at bigint not null,
    ended_at bigint,
    initiated_by text not null,
    user_name text not null,
    email text not null,
    role text not null,
    agent_name text,
    channel text not null,
    -- Licenses consumed so far: one per started session-duration window.
    licenses bigint not null default 1,
    constraint usage_sessions_key unique (tenant_id, session_id),
    constraint usage_sessions_initiated_check check (initiated_by in ('end_user', 'agent'))
);
create index usage_sessions_history on usage_sessions (tenant_id, started_at, id);

create table conversations (
    id integer primary key,
    tenant_id bigint not null references tenants (id) on delete cascade,
    conversation_id text not null,
    session_id text,
    user_id text,
    user_name text not null,
    channel text not null,
    handled_by text not null,
    agent_name text,
    started_at bigint not null,
    message_count integer not null default 0,
    constraint conversations_key unique (tenant_id, conversation_id),
    constraint conversations_handled_check check (handled_by in ('bot', 'agent'))
);
create index conversations_user on conversations (tenant_id, user_id, started_at);
create index conversations_session on conversations (tenant_id, session_id, started_at);

create table messages (
    conversation_ref bigint not null references conversations (id) on delete cascade,
    seq integer not null,
    sent_at bigint not null,
    sender text not null,
    body text not null,
    primary key (conversation_ref, seq)
);

-- Conversation and workflow transactions, billable or not, each with the reason code of the
-- rule that decided.
create table transactions (
    id integer primary key,
    tenant_id bigint not null references tenants (id) on delete cascade,
    transaction_id text not null,
    occurred_at bigint not null,
    bot_name text not null,
    skill_name text not null,
    tx_type text not null,
    fulfillment_type text not null,
    fulfillment_details text not null,
    billable boolean not null,
    reason text not null,
    user_name text not null,
    role text not null,
    channel text not null,
    event_id text,
    constraint transactions_key unique (tenant_id, transaction_id),
    constraint transactions_type_check check (tx_type in ('conversation', 'workflow'))
);
create index transactions_time on transactions (tenant_id, occurred_at, id);

-- Assignments in Nimbus-style pools (service, user feature, add-on, modality, virtual user).
create table pool_assignments (
    id integer primary key,
    tenant_id bigint not null references tenants (id) on delete cascade,
    pool_id bigint not null references pools (id) on delete cascade,
    assignee_id text not null,
    assignee_name text not null default '',
    assigned_at bigint not null,
    released_at bigint
);
create unique index pool_assignments_open on pool_assignments (pool_id, assignee_id) where released_at is null;
create index pool_assignments_tenant on pool_assignments (tenant_id, pool_id, assigned_at);

-- Idempotency ledger of the usage API: one row per event id per tenant.
create table usage_events (
    tenant_id bigint not null references tenants (id) on delete cascade,
    event_id text not null,
    event_type text not null,
    content_hash text not null,
    occurred_at bigint not null,
    received_at bigint not null,
    primary key (tenant_id, event_id)
);

-- One row per alert decided (threshold reached, auto-refill, contract end); the unique key makes
-- a second server instance's attempt to raise the same alert a no-op.
create table alerts (
    id integer primary key,
    tenant_id bigint not null references tenants (id) on delete cascade,
    pool_id bigint references pools (id) on delete cascade,
    kind text not null,
    dedup_key text not null,
    percent integer,
    detail text not null default '',
    created_at bigint not null,
    constraint alerts_dedup unique (tenant_id, dedup_key),
    constraint alerts_kind_check check (kind in ('threshold', 'auto_refill', 'contract_end'))
);

-- Emails to send, written in the transaction that caused them; a job delivers and retries.
create table outbox (
    id integer primary key,
    tenant_id bigint references tenants (id) on delete cascade,
    alert_id bigint references alerts (id) on delete set null,
    recipients text not null,
    subject text not null,
    body_text text not null,
    body_html text not null default '',
    created_at bigint not null,
    attempts integer not null default 0,
    next_attempt_at bigint not null,
    locked_until bigint,
    sent_at bigint,
    last_error text
);
create index outbox_due on outbox (sent_at, next_attempt_at);

create table audit_log (
    id integer primary key,
    tenant_id bigint references tenants (id) on delete cascade,
    actor text not null,
    action text not null,
    before_json text,
    after_json text,
    at bigint not null
);
create index audit_log_tenant on audit_log (tenant_id, at);

-- People who sign in to the browser side: super administrators (no tenant) and tenant
-- administrators (exactly one tenant).
create table administrators (
    id integer primary key,
    email text not null,
    password_hash text not null,
    role text not null,
    tenant_id bigint references tenants (id) on delete cascade,
    display_name text not null default '',
    locale text,
    created_at bigint not null,
    disabled_at bigint,
    constraint administrators_email_key unique (email),
    constraint administrators_role_check check (
        (role = 'super' and tenant_id is null) or (role = 'tenant' and tenant_id is not null)
    )
);

-- Server-side browser sessions; only a hash of the cookie value is stored.
create table web_sessions (
    token_hash text primary key,
    administrator_id bigint not null references administrators (id) on delete cascade,
    created_at bigint not null,
    expires_at bigint not null
);
create index web_sessions_admin on web_sessions (administrator_id);

-- Failed sign-ins, counted per email to slow down guessing; old rows are pruned.
create table sign_in_failures (
    id integer primary key,
    email text not null,
    failed_at bigint not null
);
create index sign_in_failures_email on sign_in_failures (email, failed_at);

create table api_keys (
    id integer primary key,
    tenant_id bigint not null references tenants (id) on delete cascade,
    name text not null,
    prefix text not null,
    key_hash text not null,
    created_at bigint not null,
    created_by text not null,
    revoked_at bigint,
    last_used_at bigint,
    constraint api_keys_hash_key unique (key_hash)
);
