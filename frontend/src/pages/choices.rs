//! The org tree and the courses a form offers: the assignment form and the
//! meeting form both start from them (loaded by the page, handed to the
//! island in its props; see [`crate::loaded`]).

use courses::course::CourseView;
use courses::directory::OrgNode;
use serde::{Deserialize, Serialize};

use crate::api::{list_courses, org_tree, AppError};
use crate::loaded::{fixed, Loaded};

#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct Choices {
    tree: Result<Vec<OrgNode>, AppError>,
    courses: Result<Vec<CourseView>, AppError>,
}

impl Choices {
    /// The caller's org tree and every course they may see or manage.
    pub(crate) async fn load() -> Self {
        let (tree, courses) = futures::join!(org_tree(), list_courses(String::new(), String::new(), String::new()));
        Choices { tree, courses }
    }

    /// In the island: both as the page loaded them (neither changes while
    /// the form is open).
    pub(crate) fn show(self) -> (Loaded<Vec<OrgNode>>, Loaded<Vec<CourseView>>) {
        (fixed(self.tree), fixed(self.courses))
    }
}
