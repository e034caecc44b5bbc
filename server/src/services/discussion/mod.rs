//! Discussion under lessons and courses: comments visible exactly to the
//! course's audience (and to those who manage the course), one level of
//! replies, moderation by the course's organizers.
//!
//! - `mod.rs`: where a comment is, who sees which comments and how.
//! - `words.rs`: the admins' sensitive-word list and matching against it.
//! - `write.rs`: posting a comment or a reply; its writer deleting it.
//! - `moderation.rs`: reports, moderation steps, the queue, 先审后发.

pub mod moderation;
pub mod words;
pub mod write;

use std::collections::{HashMap, HashSet};

use chrono::FixedOffset;
use courses::discussion::{CommentAuthor, CommentState, CommentView, Discussion, HeldFor};
use courses::people::surname_of;
use courses::Actor;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::db::{comment_reports, comments, lessons, orgs};
use crate::error::{Error, Result};
use crate::services::catalog::{find_studied, lesson_for_study, Course};
use crate::services::notices::local_time;

/// Top-level comments in one page of a discussion.
pub const PAGE: u64 = 50;

/// A course, or one of its lessons, that someone may discuss.
pub(crate) struct Place {
    pub course: Course,
    pub lesson: Option<lessons::Model>,
}

impl Place {
    /// The course or lesson the actor may study; anything else is 404.
    pub async fn for_study(db: &impl ConnectionTrait, actor: &Actor, at: Target) -> Result<Place> {
        match at {
            Target::Course(id) => Ok(Place { course: find_studied(db, actor, id).await?, lesson: None }),
            Target::Lesson(id) => {
                let l = lesson_for_study(db, actor, id).await?;
                Ok(Place { course: l.course, lesson: Some(l.row) })
            }
        }
    }

    /// Where `comment` is, if the actor may study it.
    pub async fn of_comment(db: &impl ConnectionTrait, actor: &Actor, comment: &comments::Model) -> Result<Place> {
        let at = match comment.lesson_id {
            Some(l) => Target::Lesson(l),
            None => Target::Course(comment.course_id),
        };
        Place::for_study(db, actor, at).await
    }

    pub fn lesson_id(&self) -> Option<i64> {
        self.lesson.as_ref().map(|l| l.id)
    }

    /// The comments of this place (not of the course's lessons, for a course).
    fn here(&self) -> Condition {
        let c = Condition::all().add(comments::Column::CourseId.eq(self.course.row.id));
        match self.lesson_id() {
            Some(l) => c.add(comments::Column::LessonId.eq(l)),
            None => c.add(comments::Column::LessonId.is_null()),
        }
    }

    /// Whether the actor moderates this course's comments: its organizers.
    pub fn moderated_by(&self, actor: &Actor) -> bool {
        actor.can_manage_course(&self.course.org).is_ok()
    }
}

/// A lesson or a course, as the path names it.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    Course(i64),
    Lesson(i64),
}

pub(crate) fn state_of(row: &comments::Model) -> Result<CommentState> {
    CommentState::parse(&row.state)
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("comment {} has state {}", row.id, row.state)))
}

/// Whether someone who is not a moderator sees the comment: a published
/// one, or their own (waiting or hidden, with why).
fn seen_by_reader(row: &comments::Model, actor: &Actor) -> bool {
    row.state == CommentState::Published.as_str()
        || (row.author_id == Some(actor.id.0) && row.state != CommentState::Deleted.as_str())
}

/// What the caller's views of comments need besides the rows.
pub(crate) struct Lookups {
    pub branch_names: HashMap<i64, String>,
    pub reported_by_me: HashSet<i64>,
    pub zone: FixedOffset,
}

impl Lookups {
    pub async fn load(
        db: &impl ConnectionTrait,
        actor: &Actor,
        rows: &[comments::Model],
        zone: FixedOffset,
    ) -> Result<Lookups> {
        let org_ids: Vec<i64> =
            rows.iter().filter_map(|r| r.author_org_id).collect::<HashSet<_>>().into_iter().collect();
        let branch_names = if org_ids.is_empty() {
            HashMap::new()
        } else {
            orgs::Entity::find()
                .filter(orgs::Column::Id.is_in(org_ids))
                .all(db)
                .await?
                .into_iter()
                .map(|o| (o.id, o.name))
                .collect()
        };
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let reported_by_me = if ids.is_empty() {
            HashSet::new()
        } else {
            comment_reports::Entity::find()
                .filter(comment_reports::Column::PersonId.eq(actor.id.0))
                .filter(comment_reports::Column::CommentId.is_in(ids))
                .all(db)
                .await?
                .into_iter()
                .map(|r| r.comment_id)
                .collect()
        };
        Ok(Lookups { branch_names, reported_by_me, zone })
    }
}

/// A comment as the caller sees it (without its replies). `moderator`:
/// the caller moderates its course and sees everything about it.
pub(crate) fn view_of(row: &comments::Model, actor: &Actor, moderator: bool, look: &Lookups) -> Result<CommentView> {
    let state = state_of(row)?;
    let mine = row.author_id == Some(actor.id.0);
    let insider = moderator || mine;
    Ok(CommentView {
        id: row.id,
        course_id: row.course_id,
        lesson_id: row.lesson_id,
        reply_to: row.parent_id,
        author: CommentAuthor {
            name: (!row.surname_only).then(|| row.author_name.clone()),
            surname: surname_of(&row.author_name),
            branch: row.author_org_id.and_then(|o| look.branch_names.get(&o).cloned()).unwrap_or_default(),
            mine,
        },
        body: if state == CommentState::Deleted { String::new() } else { row.body.clone() },
        state,
        held_for: if insider && state == CommentState::Pending {
            row.held_for.as_deref().and_then(HeldFor::parse)
        } else {
            None
        },
        matched: if moderator {
            row.matched.as_deref().unwrap_or_default().lines().map(str::to_owned).collect()
        } else {
            Vec::new()
        },
        moderation_reason: if insider { row.moderation_reason.clone() } else { None },
        reports: if moderator { u32::try_from(row.open_reports).unwrap_or(0) } else { 0 },
        reported_by_me: look.reported_by_me.contains(&row.id),
        created_at_ms: row.created_at_ms,
        created_at: local_time(row.created_at_ms, look.zone),
        replies: Vec::new(),
    })
}

/// One page of the discussion of a place: top-level comments newest first
/// (older than `before`, when given), each with its replies oldest first.
/// Moderators see every comment; others see the published ones and their
/// own. Replies under a comment that is out of their sight go with it.
pub async fn page(
    db: &impl ConnectionTrait,
    actor: &Actor,
    at: Target,
    before: Option<i64>,
    zone: FixedOffset,
) -> Result<Discussion> {
    let place = Place::for_study(db, actor, at).await?;
    let moderator = place.moderated_by(actor);
    let sight = if moderator {
        Condition::all()
    } else {
        Condition::any().add(comments::Column::State.eq(CommentState::Published.as_str())).add(
            Condition::all()
                .add(comments::Column::AuthorId.eq(actor.id.0))
                .add(comments::Column::State.ne(CommentState::Deleted.as_str())),
        )
    };
    let mut top = comments::Entity::find()
        .filter(place.here())
        .filter(comments::Column::ParentId.is_null())
        .filter(sight.clone());
    if let Some(b) = before {
        top = top.filter(comments::Column::Id.lt(b));
    }
    let mut tops = top.order_by_desc(comments::Column::Id).limit(PAGE + 1).all(db).await?;
    let more = tops.len() as u64 > PAGE;
    tops.truncate(PAGE as usize);
    let replies = if tops.is_empty() {
        Vec::new()
    } else {
        comments::Entity::find()
            .filter(comments::Column::ParentId.is_in(tops.iter().map(|t| t.id)))
            .filter(sight)
            .order_by_asc(comments::Column::Id)
            .all(db)
            .await?
    };
    let all: Vec<comments::Model> = tops.iter().chain(replies.iter()).cloned().collect();
    let look = Lookups::load(db, actor, &all, zone).await?;
    let mut out = Vec::with_capacity(tops.len());
    for t in &tops {
        debug_assert!(moderator || seen_by_reader(t, actor));
        let mut v = view_of(t, actor, moderator, &look)?;
        for r in replies.iter().filter(|r| r.parent_id == Some(t.id)) {
            v.replies.push(view_of(r, actor, moderator, &look)?);
        }
        out.push(v);
    }
    Ok(Discussion { comments: out, moderator, review_first: place.course.row.comments_reviewed, more })
}

/// A comment the actor may see, with its place; anything else is 404.
pub(crate) async fn find_visible(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> Result<(comments::Model, Place)> {
    let row = comments::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let place = Place::of_comment(db, actor, &row).await?;
    if !place.moderated_by(actor) && !seen_by_reader(&row, actor) {
        return Err(Error::NotFound);
    }
    Ok((row, place))
}
