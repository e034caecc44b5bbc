//! Demo data for the quick start: a small org tree and one person of each
//! role, with known passwords printed at start-up. Seeding is idempotent.

use courses::{Login, OrgKind, Password, PersonName, Role, Standing};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

use crate::db::people;
use crate::error::Result;
use crate::services::{import, orgs as org_service, people as people_service, system_actor};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "dangxiao-demo";

/// One demo account, for printing.
pub struct DemoLogin {
    pub login: &'static str,
    pub name: &'static str,
    pub role: Role,
    pub standing: Standing,
}

const COMMITTEE: (&str, OrgKind) = ("示范市委党校党委", OrgKind::Committee);
const GENERAL: (&str, OrgKind) = ("机关党总支", OrgKind::GeneralBranch);
const BRANCH_1: (&str, OrgKind) = ("第一党支部", OrgKind::Branch);
const BRANCH_2: (&str, OrgKind) = ("第二党支部", OrgKind::Branch);
const TEACHING: (&str, OrgKind) = ("教研党支部", OrgKind::Branch);
const GROUP_1: (&str, OrgKind) = ("第一党小组", OrgKind::Group);

/// The demo accounts and where they sit in the tree.
pub fn accounts() -> Vec<(DemoLogin, Vec<(&'static str, OrgKind)>)> {
    vec![
        (
            DemoLogin { login: "admin", name: "系统管理员", role: Role::Admin, standing: Standing::Full },
            vec![COMMITTEE],
        ),
        (
            DemoLogin { login: "organizer", name: "王书记", role: Role::Organizer, standing: Standing::Full },
            vec![COMMITTEE, GENERAL, BRANCH_1],
        ),
        (
            DemoLogin { login: "member", name: "李学习", role: Role::Member, standing: Standing::Full },
            vec![COMMITTEE, GENERAL, BRANCH_1, GROUP_1],
        ),
        (
            DemoLogin { login: "member2", name: "张红", role: Role::Member, standing: Standing::Full },
            vec![COMMITTEE, GENERAL, BRANCH_1],
        ),
        (
            DemoLogin { login: "activist", name: "赵进步", role: Role::Member, standing: Standing::Activist },
            vec![COMMITTEE, GENERAL, BRANCH_1],
        ),
        (
            DemoLogin { login: "organizer2", name: "陈书记", role: Role::Organizer, standing: Standing::Full },
            vec![COMMITTEE, GENERAL, BRANCH_2],
        ),
        (
            DemoLogin { login: "member3", name: "刘青", role: Role::Member, standing: Standing::Full },
            vec![COMMITTEE, GENERAL, BRANCH_2],
        ),
        (
            DemoLogin { login: "teacher", name: "周老师", role: Role::Member, standing: Standing::Full },
            vec![COMMITTEE, TEACHING],
        ),
    ]
}

/// Seeds the demo tree and accounts unless people already exist. Returns
/// whether anything was written.
pub async fn seed(db: &DatabaseConnection) -> Result<bool> {
    if people::Entity::find().count(db).await? > 0 {
        return Ok(false);
    }
    let system = system_actor();
    let password = Password::parse(DEMO_PASSWORD)?;
    for (account, path) in accounts() {
        let org = org_service::ensure_path(db, &system, &path).await?;
        let login = Login::parse(account.login)?;
        if import::find_login(db, &login).await?.is_none() {
            let name = PersonName::parse(account.name)?;
            people_service::insert(
                db,
                people_service::NewAccount {
                    login: &login,
                    name: &name,
                    role: account.role,
                    standing: account.standing,
                    org_id: org.id,
                },
                &password,
                false,
            )
            .await?;
        }
    }
    Ok(true)
}
