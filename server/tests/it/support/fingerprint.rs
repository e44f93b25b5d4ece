//! What a request could change, read back as text: the sweeps compare it before and after.

use app::server::db::Db;

/// The rows of `sql` (one `$1`, bound to `tenant`), each as its columns' text joined by `|`.
pub async fn texts(db: &Db, sql: &str, tenant: i64) -> Vec<String> {
    use sqlx::Row;
    let mut conn = db.conn().await.expect("connection");
    sqlx::query(sql)
        .bind(tenant)
        .fetch_all(&mut *conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|row| {
            (0..row.len())
                .map(|i| {
                    row.try_get::<Option<String>, _>(i)
                        .unwrap_or_else(|e| panic!("{sql}: {e}"))
                        .unwrap_or_else(|| "-".into())
                })
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect()
}

/// Every row of a tenant that a request could change, as text.
pub async fn fingerprint(db: &Db, tenant: i64) -> Vec<String> {
    const ROWS: [&str; 21] = [
        "select slug, name, state, time_zone, locale from tenants where id = $1",
        "select license_model, contract_start, contract_end, cast(session_minutes as text), \
         thresholds, contract_notice_days, cast(auto_refill as text), \
         cast(auto_refill_amount as text) from subscriptions where tenant_id = $1",
        "select kind, email, cast(position as text) from contacts where tenant_id = $1 \
         order by kind, position",
        "select pool_key, enforcement, cast(purchased as text), cast(consumed as text), \
         cast(alerted_percent as text) from pools where tenant_id = $1 order by pool_key",
        "select user_id, cast(released_at as text) from user_licenses where tenant_id = $1 \
         order by id",
        "select session_id, cast(ended_at as text), cast(licenses as text) from usage_sessions \
         where tenant_id = $1 order by id",
        "select assignee_id, cast(released_at as text) from pool_assignments \
         where tenant_id = $1 order by id",
        "select email, cast(disabled_at as text), coalesce(locale, '-') from administrators \
         where tenant_id = $1 order by id",
        "select prefix, cast(revoked_at as text) from api_keys where tenant_id = $1 order by id",
        "select cast(id as text), state from outbox where tenant_id = $1 order by id",
        "select cast(id as text), cast(applied_at as text) from bulk_uploads \
         where tenant_id = $1 order by id",
        "select cast(count(*) as text) from refills where tenant_id = $1",
        "select cast(count(*) as text) from conversations where tenant_id = $1",
        "select cast(count(*) as text) from transactions where tenant_id = $1",
        "select cast(count(*) as text) from usage_events where tenant_id = $1",
        "select cast(count(*) as text) from daily_usage where tenant_id = $1",
        "select cast(count(*) as text) from alerts where tenant_id = $1",
        "select cast(count(*) as text) from audit_log where tenant_id = $1",
        "select cast(count(*) as text) from tenant_state_changes where tenant_id = $1",
        "select cast(count(*) as text) from invitations i join administrators a \
         on a.id = i.administrator_id where a.tenant_id = $1",
        "select cast(count(*) as text) from shown_once s join administrators a \
         on a.id = s.administrator_id where a.tenant_id = $1",
    ];
    let mut rows = Vec::new();
    for sql in ROWS {
        rows.push(sql.split_whitespace().take(8).collect::<Vec<_>>().join(" "));
        rows.extend(texts(db, sql, tenant).await);
    }
    rows
}

/// Every tenant's rows and the super administrators, as text.
pub async fn everything(db: &Db) -> Vec<String> {
    let mut rows = texts(
        db,
        "select email, cast(disabled_at as text) from administrators \
         where tenant_id is null and id > $1 order by id",
        0,
    )
    .await;
    for tenant in texts(
        db,
        "select cast(id as text) from tenants where id > $1 order by id",
        0,
    )
    .await
    {
        rows.extend(fingerprint(db, tenant.parse().expect("tenant id")).await);
    }
    rows
}
