-- A tenant's revision moves with every write to what its Subscription tab shows (the tenant,
-- its subscription, contacts, pools, ledger, daily usage, alerts and their emails), whoever
-- writes it: the tab keeps what it read while the revision it was read at stands. Kept in step
-- with ../sqlite/0007_tenant_revision.sql.
--
-- The other tables move it at commit (deferred constraint triggers), so a transaction takes the
-- tenant's row lock last and holds it only while it commits: no lock order to break. A row key
-- share (their foreign keys) does not conflict with that update.
--
-- An email's claim (its attempts and lease) does not move it: the attempt shows once its outcome
-- is written (sent, retried or given up), which moves it. A claim takes emails of several
-- tenants in one statement; bumping there would lock tenants in no fixed order.
alter table tenants add column revision bigint not null default 0;

create function tenants_revision_own() returns trigger language plpgsql as $$
begin
    new.revision := old.revision + 1;
    return new;
end $$;

create trigger tenants_revision before update of slug, name, state, time_zone, locale on tenants
    for each row execute function tenants_revision_own();

create function tenants_revision_moves() returns trigger language plpgsql as $$
begin
    update tenants set revision = revision + 1
     where id = case when tg_op = 'DELETE' then old.tenant_id else new.tenant_id end;
    return null;
end $$;

create constraint trigger subscriptions_revision after insert or update or delete on subscriptions
    deferrable initially deferred for each row execute function tenants_revision_moves();

create constraint trigger contacts_revision after insert or update or delete on contacts
    deferrable initially deferred for each row execute function tenants_revision_moves();

create constraint trigger pools_revision after insert or update or delete on pools
    deferrable initially deferred for each row execute function tenants_revision_moves();

create constraint trigger refills_revision after insert or update or delete on refills
    deferrable initially deferred for each row execute function tenants_revision_moves();

create constraint trigger daily_usage_revision after insert or update or delete on daily_usage
    deferrable initially deferred for each row execute function tenants_revision_moves();

create constraint trigger alerts_revision after insert or update or delete on alerts
    deferrable initially deferred for each row execute function tenants_revision_moves();

create constraint trigger outbox_revision
    after insert or update of state, sent_at, last_error, next_attempt_at, recipient or delete on outbox
    deferrable initially deferred for each row execute function tenants_revision_moves();
