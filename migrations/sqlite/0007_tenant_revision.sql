-- A tenant's revision moves with every write to what its Subscription tab shows (the tenant,
-- its subscription, contacts, pools, ledger, daily usage, alerts and their emails), whoever
-- writes it: the tab keeps what it read while the revision it was read at stands. Kept in step
-- with ../postgres/0007_tenant_revision.sql.
--
-- An email's claim (its attempts and lease) does not move it: the attempt shows once its outcome
-- is written (sent, retried or given up), which moves it.
alter table tenants add column revision bigint not null default 0;

create trigger tenants_revision after update of slug, name, state, time_zone, locale on tenants
begin
    update tenants set revision = revision + 1 where id = new.id;
end;

create trigger subscriptions_revision_insert after insert on subscriptions
begin update tenants set revision = revision + 1 where id = new.tenant_id; end;
create trigger subscriptions_revision_update after update on subscriptions
begin update tenants set revision = revision + 1 where id = new.tenant_id; end;
create trigger subscriptions_revision_delete after delete on subscriptions
begin update tenants set revision = revision + 1 where id = old.tenant_id; end;

create trigger contacts_revision_insert after insert on contacts
begin update tenants set revision = revision + 1 where id = new.tenant_id; end;
create trigger contacts_revision_update after update on contacts
begin update tenants set revision = revision + 1 where id = new.tenant_id; end;
create trigger contacts_revision_delete after delete on contacts
begin update tenants set revision = revision + 1 where id = old.tenant_id; end;

create trigger pools_revision_insert after insert on pools
begin update tenants set revision = revision + 1 where id = new.tenant_id; end;
create trigger pools_revision_update after update on pools
begin update tenants set revision = revision + 1 where id = new.tenant_id; end;
create trigger pools_revision_delete after delete on pools
begin update tenants set revision = revision + 1 where id = old.tenant_id; end;

create trigger refills_revision_insert after insert on refills
begin update tenants set revision = revision + 1 where id = new.tenant_id; end;
create trigger refills_revision_update after update on refills
begin update tenants set revision = revision + 1 where id = new.tenant_id; end;
create trigger refills_revision_delete after delete on refills
begin update tenants set revision = revision + 1 where id = old.tenant_id; end;

create trigger daily_usage_revision_insert after insert on daily_usage
begin update tenants set revision = revision + 1 where id = new.tenant_id; end;
create trigger daily_usage_revision_update after update on daily_usage
begin update tenants set revision = revision + 1 where id = new.tenant_id; end;
create trigger daily_usage_revision_delete after delete on daily_usage
begin update tenants set revision = revision + 1 where id = old.tenant_id; end;

create trigger alerts_revision_insert after insert on alerts
begin update tenants set revision = revision + 1 where id = new.tenant_id; end;
create trigger alerts_revision_update after update on alerts
begin update tenants set revision = revision + 1 where id = new.tenant_id; end;
create trigger alerts_revision_delete after delete on alerts
begin update tenants set revision = revision + 1 where id = old.tenant_id; end;

create trigger outbox_revision_insert after insert on outbox
begin update tenants set revision = revision + 1 where id = new.tenant_id; end;
create trigger outbox_revision_update after update of state, sent_at, last_error, next_attempt_at, recipient on outbox
begin update tenants set revision = revision + 1 where id = new.tenant_id; end;
create trigger outbox_revision_delete after delete on outbox
begin update tenants set revision = revision + 1 where id = old.tenant_id; end;
