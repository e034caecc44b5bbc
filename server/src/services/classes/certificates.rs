//! Certificates (结业证书): issued when a 班主任 confirms a graduate and
//! kept as issued; downloaded as a PDF by the holder and those who manage
//! the class; revoked with a reason, and issued again under the same
//! serial; verified by anyone through `/verify/{serial}`, with lookups
//! limited per client address in the database, so every app server counts
//! against one limit.

use std::net::IpAddr;

use chrono::{Datelike, FixedOffset, Utc};
use courses::certificate::{
    self as policy, CertificateState, CertificateView, Revocation, RevokeIn, Verification, SERIAL_ALPHABET,
    SERIAL_RANDOM_LEN,
};
use courses::class::GradeLevel;
use courses::Actor;
use rand::Rng;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};

use super::certificate_pdf::{self, CertificateFont, CertificateText};
use super::{managed, Class};
use crate::db::{self, certificates, class_graduates, verify_lookups};
use crate::error::{Detail, Error, Result};

/// A graduate to certify: who, with what.
pub(crate) struct Graduate {
    pub person_id: i64,
    pub name: String,
    pub hours: f64,
    pub grade: GradeLevel,
}

fn today(zone: FixedOffset) -> chrono::NaiveDate {
    Utc::now().with_timezone(&zone).date_naive()
}

fn random_part() -> String {
    let mut rng = rand::rngs::OsRng;
    (0..SERIAL_RANDOM_LEN).map(|_| char::from(SERIAL_ALPHABET[rng.gen_range(0..SERIAL_ALPHABET.len())])).collect()
}

/// Writes what `g`'s certificate of `class` says now into `row`.
fn describe(row: &mut certificates::ActiveModel, class: &Class, g: &Graduate, zone: FixedOffset) {
    row.name = Set(g.name.clone());
    row.class_name = Set(class.row.name.clone());
    row.term_from = Set(class.row.term_from.clone());
    row.term_to = Set(class.row.term_to.clone());
    row.hours = Set(g.hours);
    row.grade = Set(g.grade.as_str().to_owned());
    row.issuer_name = Set(class.org.name.clone());
    row.issued_on = Set(today(zone).format("%Y-%m-%d").to_string());
    row.issued_at_ms = Set(db::now_ms());
}

/// Issues the graduates' certificates, inside the graduation's transaction.
/// A graduate confirmed again whose certificate says something else now
/// (another grade, more 学时) gets a new edition under the same serial; a
/// revoked one stays revoked until it is issued again on purpose.
pub(crate) async fn issue(
    txn: &impl ConnectionTrait,
    class: &Class,
    actor: &Actor,
    zone: FixedOffset,
    graduates: &[Graduate],
) -> Result<()> {
    let by = (actor.id.0 > 0).then_some(actor.id.0);
    for g in graduates {
        let existing = certificates::Entity::find()
            .filter(certificates::Column::ClassId.eq(class.row.id))
            .filter(certificates::Column::PersonId.eq(g.person_id))
            .one(txn)
            .await?;
        match existing {
            Some(c) if c.revoked_at_ms.is_some() => {}
            Some(c) => {
                let same = c.name == g.name && c.grade == g.grade.as_str() && (c.hours - g.hours).abs() < 0.05;
                if !same {
                    let edition = c.edition + 1;
                    let mut row = c.into_active_model();
                    describe(&mut row, class, g, zone);
                    row.edition = Set(edition);
                    row.issued_by = Set(by);
                    row.update(txn).await?;
                }
            }
            None => {
                let year = today(zone).year();
                let last: Option<i32> = certificates::Entity::find()
                    .select_only()
                    .column_as(certificates::Column::Seq.max(), "seq")
                    .filter(certificates::Column::IssuerOrgId.eq(class.org.id))
                    .filter(certificates::Column::Year.eq(year))
                    .into_tuple()
                    .one(txn)
                    .await?
                    .flatten();
                let seq = last.unwrap_or(0) + 1;
                let mut row = certificates::ActiveModel {
                    serial: Set(policy::serial(year, class.org.id, seq, &random_part())),
                    class_id: Set(class.row.id),
                    person_id: Set(g.person_id),
                    issuer_org_id: Set(class.org.id),
                    year: Set(year),
                    seq: Set(seq),
                    issued_by: Set(by),
                    edition: Set(1),
                    revoked_at_ms: Set(None),
                    revoked_by: Set(None),
                    revoke_reason: Set(None),
                    ..Default::default()
                };
                describe(&mut row, class, g, zone);
                // Two graduations of one issuer at the same moment may draw
                // the same number; the later one is refused whole.
                certificates::Entity::insert(row).exec_without_returning(txn).await.map_err(|e| {
                    crate::services::conflict_on_unique(
                        e,
                        Detail::text(
                            "同时有另一批证书正在颁发，请再确认一次。",
                            "Another set of certificates was being issued at the same moment; confirm again.",
                        ),
                    )
                })?;
            }
        }
    }
    Ok(())
}

pub(crate) fn view(c: certificates::Model) -> CertificateView {
    CertificateView {
        pdf_url: format!("/api/v1/certificates/{}/pdf", c.id),
        verify_path: format!("/verify/{}", c.serial),
        id: c.id,
        class_id: c.class_id,
        class_name: c.class_name,
        person_id: c.person_id,
        name: c.name,
        term_from: c.term_from,
        term_to: c.term_to,
        hours: c.hours,
        grade: GradeLevel::parse(&c.grade).unwrap_or(GradeLevel::Pass),
        issuer_name: c.issuer_name,
        issued_on: c.issued_on,
        edition: u32::try_from(c.edition).unwrap_or(1),
        revoked: match (c.revoked_at_ms, c.revoke_reason) {
            (Some(at_ms), reason) => Some(Revocation { at_ms, reason: reason.unwrap_or_default() }),
            _ => None,
        },
        serial: c.serial,
    }
}

/// The certificates of a class, for those who manage it.
pub async fn of_class(db: &DatabaseConnection, actor: &Actor, class_id: i64) -> Result<Vec<CertificateView>> {
    managed(db, actor, class_id).await?;
    let rows = certificates::Entity::find()
        .filter(certificates::Column::ClassId.eq(class_id))
        .order_by_asc(certificates::Column::Seq)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(view).collect())
}

/// A person's certificates, the newest first.
pub(crate) async fn of_person(db: &impl ConnectionTrait, person_id: i64) -> Result<Vec<CertificateView>> {
    let rows = certificates::Entity::find()
        .filter(certificates::Column::PersonId.eq(person_id))
        .order_by_desc(certificates::Column::IssuedAtMs)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(view).collect())
}

/// The caller's own certificates.
pub async fn mine(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<CertificateView>> {
    of_person(db, actor.id.0).await
}

/// The certificate if the caller holds it or manages its class; otherwise
/// it does not exist.
async fn readable(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<certificates::Model> {
    let c = certificates::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    if c.person_id == actor.id.0 {
        return Ok(c);
    }
    match managed(db, actor, c.class_id).await {
        Ok(_) => Ok(c),
        Err(Error::Forbidden) => Err(Error::NotFound),
        Err(e) => Err(e),
    }
}

/// The certificate as a PDF file: its bytes and file name.
pub async fn pdf(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    font: &CertificateFont,
    public_base: &str,
) -> Result<(Vec<u8>, String)> {
    let c = readable(db, actor, id).await?;
    if c.revoked_at_ms.is_some() {
        return Err(Error::Conflict(Detail::text(
            "该证书已撤销，不能下载。",
            "This certificate has been revoked and cannot be downloaded.",
        )));
    }
    let text = CertificateText {
        verify_url: format!("{public_base}/verify/{}", c.serial),
        grade: GradeLevel::parse(&c.grade).unwrap_or(GradeLevel::Pass).name(courses::Lang::Zh).to_owned(),
        file_name: format!("结业证书-{}.pdf", c.serial),
        name: c.name,
        class_name: c.class_name,
        term_from: c.term_from,
        term_to: c.term_to,
        hours: c.hours,
        issuer: c.issuer_name,
        issued_on: c.issued_on,
        serial: c.serial,
    };
    let font = font.clone();
    let name = text.file_name.clone();
    let bytes = tokio::task::spawn_blocking(move || certificate_pdf::render(&font, &text))
        .await
        .map_err(|e| Error::Internal(e.into()))??;
    Ok((bytes, name))
}

/// Revokes a certificate, with the reason.
pub async fn revoke(db: &DatabaseConnection, actor: &Actor, id: i64, why: RevokeIn) -> Result<CertificateView> {
    let reason = why.checked().map_err(|e| Error::invalid(&e))?;
    let c = readable(db, actor, id).await?;
    managed(db, actor, c.class_id).await?;
    if c.revoked_at_ms.is_some() {
        return Err(Error::Conflict(Detail::text("该证书已经撤销。", "This certificate is already revoked.")));
    }
    let mut row = c.into_active_model();
    row.revoked_at_ms = Set(Some(db::now_ms()));
    row.revoked_by = Set((actor.id.0 > 0).then_some(actor.id.0));
    row.revoke_reason = Set(Some(reason));
    Ok(view(row.update(db).await?))
}

/// Issues a certificate again under the same serial: what it says as the
/// class and the graduate stand now, a new edition, any revocation lifted.
/// Only while its holder is still a confirmed graduate of the class.
pub async fn reissue(db: &DatabaseConnection, actor: &Actor, id: i64, zone: FixedOffset) -> Result<CertificateView> {
    let c = readable(db, actor, id).await?;
    let class = managed(db, actor, c.class_id).await?;
    let graduate = class_graduates::Entity::find_by_id((c.class_id, c.person_id)).one(db).await?;
    let report = super::report::report(db, actor, c.class_id).await?;
    let row = report.students.iter().find(|s| s.person_id == c.person_id);
    let (Some(graduate), Some(row)) = (graduate, row) else {
        return Err(Error::Conflict(Detail::text(
            "此人已不是本班的结业学员，不能重新颁发证书。",
            "This person is no longer a confirmed graduate of the class, so the certificate cannot be issued again.",
        )));
    };
    let g = Graduate {
        person_id: c.person_id,
        name: row.name.clone(),
        hours: row.hours,
        grade: GradeLevel::parse(&graduate.grade).unwrap_or(GradeLevel::Pass),
    };
    let edition = c.edition + 1;
    let txn = db.begin().await?;
    let mut active = c.into_active_model();
    describe(&mut active, &class, &g, zone);
    active.edition = Set(edition);
    active.issued_by = Set((actor.id.0 > 0).then_some(actor.id.0));
    active.revoked_at_ms = Set(None);
    active.revoked_by = Set(None);
    active.revoke_reason = Set(None);
    let saved = active.update(&txn).await?;
    txn.commit().await?;
    Ok(view(saved))
}

/// The key a client is counted under: its address, or for IPv6 its /64,
/// which one subscriber usually holds whole.
fn client_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// Counts one lookup for `key`, atomically, unless its window is used up:
/// then the seconds until it may look again.
async fn count_lookup(db: &DatabaseConnection, key: &str) -> Result<std::result::Result<(), i64>> {
    let now = db::now();
    verify_lookups::Entity::insert(verify_lookups::ActiveModel {
        client: Set(key.to_owned()),
        window_start: Set(now),
        lookups: Set(0),
        misses: Set(0),
    })
    .on_conflict(OnConflict::column(verify_lookups::Column::Client).do_nothing().to_owned())
    .exec_without_returning(db)
    .await?;
    verify_lookups::Entity::update_many()
        .col_expr(verify_lookups::Column::WindowStart, Expr::value(now))
        .col_expr(verify_lookups::Column::Lookups, Expr::value(0))
        .col_expr(verify_lookups::Column::Misses, Expr::value(0))
        .filter(verify_lookups::Column::Client.eq(key))
        .filter(verify_lookups::Column::WindowStart.lte(now - policy::LOOKUP_WINDOW_SECS))
        .exec(db)
        .await?;
    let counted = verify_lookups::Entity::update_many()
        .col_expr(verify_lookups::Column::Lookups, Expr::col(verify_lookups::Column::Lookups).add(1))
        .filter(verify_lookups::Column::Client.eq(key))
        .filter(verify_lookups::Column::Lookups.lt(policy::MAX_LOOKUPS as i32))
        .filter(verify_lookups::Column::Misses.lt(policy::MAX_MISSES as i32))
        .exec(db)
        .await?;
    if counted.rows_affected == 1 {
        return Ok(Ok(()));
    }
    let start = verify_lookups::Entity::find_by_id(key.to_owned()).one(db).await?.map_or(now, |l| l.window_start);
    Ok(Err(policy::retry_after(start, now)))
}

/// What the public may learn of the certificate `serial`, for a lookup from
/// `client`. Unknown serials and used-up windows answer alike for every
/// caller: 404, and 429 with the wait.
pub async fn verify(db: &DatabaseConnection, client: IpAddr, serial: &str, zone: FixedOffset) -> Result<Verification> {
    let key = client_key(client);
    if let Err(retry_after) = count_lookup(db, &key).await? {
        return Err(Error::RateLimited { retry_after });
    }
    let found = match policy::normalize_serial(serial) {
        Some(s) => certificates::Entity::find().filter(certificates::Column::Serial.eq(s)).one(db).await?,
        None => None,
    };
    let Some(c) = found else {
        verify_lookups::Entity::update_many()
            .col_expr(verify_lookups::Column::Misses, Expr::col(verify_lookups::Column::Misses).add(1))
            .filter(verify_lookups::Column::Client.eq(key))
            .exec(db)
            .await?;
        return Err(Error::NotFound);
    };
    let revoked_on = c.revoked_at_ms.and_then(|ms| {
        chrono::DateTime::from_timestamp_millis(ms).map(|t| t.with_timezone(&zone).format("%Y-%m-%d").to_string())
    });
    Ok(Verification {
        state: if revoked_on.is_some() { CertificateState::Revoked } else { CertificateState::Valid },
        masked_name: policy::mask_name(&c.name),
        serial: c.serial,
        class_name: c.class_name,
        issuer_name: c.issuer_name,
        term_from: c.term_from,
        term_to: c.term_to,
        issued_on: c.issued_on,
        revoked_on,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_are_counted_by_address_and_ipv6_by_its_64() {
        assert_eq!(client_key("203.0.113.9".parse().unwrap()), "203.0.113.9");
        assert_eq!(client_key("::ffff:203.0.113.9".parse().unwrap()), "203.0.113.9");
        assert_eq!(client_key("2001:db8:1:2:aaaa::1".parse().unwrap()), "2001:db8:1:2::/64");
        assert_eq!(client_key("2001:db8:1:2:bbbb::7".parse().unwrap()), "2001:db8:1:2::/64");
    }

    #[test]
    fn a_serial_has_a_random_part_of_the_alphabet() {
        let a = random_part();
        assert_eq!(a.len(), SERIAL_RANDOM_LEN);
        assert!(a.bytes().all(|b| SERIAL_ALPHABET.contains(&b)));
        assert_ne!(a, random_part());
    }
}
