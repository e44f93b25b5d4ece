-- The License Consumption History of user licenses runs by each row's latest date (its release,
-- or its allocation while the license is held); keyset pages seek this index.
create index user_licenses_changed on user_licenses (tenant_id, (coalesce(released_at, allocated_at)), id);
drop index user_licenses_history;
