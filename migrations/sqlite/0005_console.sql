-- The super administrator's console (issue 13). Kept in step with ../postgres/0005_console.sql.

-- Why a change was made: the console asks for a reason on every change it makes.
alter table audit_log add column reason text not null default '';
-- The audit log page reads newest first across tenants, a keyset page at a time.
create index audit_log_at on audit_log (at, id);

-- Who revoked a key and why.
alter table api_keys add column revoked_by text;
alter table api_keys add column revoked_reason text;

-- A secret shown once to the administrator whose action made it (a new API key, an invitation
-- link): the next page they open takes it, and it is gone. Never kept longer than a few minutes.
create table shown_once (
    id integer primary key,
    administrator_id bigint not null references administrators (id) on delete cascade,
    subject text not null,
    secret text not null,
    expires_at bigint not null
);
create index shown_once_owner on shown_once (administrator_id, subject);

-- An administrator's invitation to choose a password: the link holds the token, this table
-- only its hash. Used once; a new invitation replaces the old.
create table invitations (
    id integer primary key,
    administrator_id bigint not null references administrators (id) on delete cascade,
    token_hash text not null,
    created_by text not null,
    created_at bigint not null,
    expires_at bigint not null,
    constraint invitations_token_key unique (token_hash)
);
create index invitations_administrator on invitations (administrator_id);

-- A bulk assignment file as uploaded, between its preview and its application: the preview
-- page reads it back, Apply applies it, the report is written from it. Kept a day.
create table bulk_uploads (
    id integer primary key,
    tenant_id bigint not null references tenants (id) on delete cascade,
    administrator_id bigint not null references administrators (id) on delete cascade,
    content text not null,
    created_at bigint not null,
    applied_at bigint,
    applied_by text,
    -- What each row did, as JSON, once applied: the report from then on.
    report text
);
