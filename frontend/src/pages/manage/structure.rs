//! The course's outline: lessons before the first chapter, then each
//! chapter with its lessons, each with up/down buttons, and the form that
//! adds a chapter.
//!
//! Moving keeps one rule: a lesson moved up from the top of its chapter
//! goes to the end of the previous group (the previous chapter, or
//! "not in a chapter" above the first), and moved down from the bottom to
//! the start of the next. A chapter moves with its lessons. Every move
//! sends the whole order, as the API wants it.

use courses::course::{ChapterView, CourseOrder, CourseView, LessonPlace};
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;

use super::api::CourseEdit;
use super::lesson::{LessonRow, Moves};
use super::{confirmed, Ed};
use crate::i18n::manage::{confirm_delete, move_label, ManageText as T};

/// Lesson ids by group: first those in no chapter, then each chapter's.
pub(super) type Groups = Vec<(Option<i64>, Vec<i64>)>;

/// The course's lessons grouped as the outline shows them.
pub(super) fn groups(c: &CourseView) -> Groups {
    let mut g: Groups =
        std::iter::once(None).chain(c.chapters.iter().map(|ch| Some(ch.id))).map(|k| (k, vec![])).collect();
    for l in &c.lessons {
        let i = l.chapter_id.and_then(|ch| g.iter().position(|(k, _)| *k == Some(ch))).unwrap_or(0);
        g[i].1.push(l.id);
    }
    g
}

/// The order to send for `g`.
pub(super) fn order(g: &Groups) -> CourseOrder {
    CourseOrder {
        chapters: g.iter().filter_map(|(k, _)| *k).collect(),
        lessons: g.iter().flat_map(|(k, ls)| ls.iter().map(|&id| LessonPlace { id, chapter_id: *k })).collect(),
    }
}

/// Moves lesson `id` one step; `false` when it cannot move that way.
pub(super) fn move_lesson(g: &mut Groups, id: i64, up: bool) -> bool {
    let Some((gi, li)) =
        g.iter().enumerate().find_map(|(gi, (_, ls))| ls.iter().position(|&l| l == id).map(|li| (gi, li)))
    else {
        return false;
    };
    let len = g[gi].1.len();
    match (up, li) {
        (true, 0) if gi == 0 => false,
        (true, 0) => {
            let l = g[gi].1.remove(0);
            g[gi - 1].1.push(l);
            true
        }
        (true, _) => {
            g[gi].1.swap(li, li - 1);
            true
        }
        (false, _) if li + 1 < len => {
            g[gi].1.swap(li, li + 1);
            true
        }
        (false, _) if gi + 1 < g.len() => {
            let l = g[gi].1.remove(li);
            g[gi + 1].1.insert(0, l);
            true
        }
        _ => false,
    }
}

/// Moves chapter `id` (with its lessons) one step.
pub(super) fn move_chapter(g: &mut Groups, id: i64, up: bool) -> bool {
    let Some(i) = g.iter().position(|(k, _)| *k == Some(id)) else { return false };
    let j = if up { i - 1 } else { i + 1 };
    if j == 0 || j >= g.len() {
        return false;
    }
    g.swap(i, j);
    true
}

/// Sends the order with `id` moved, then puts the focus back on the button
/// pressed (the outline is drawn anew).
pub(super) fn send_move(ed: Ed, chapter: bool, id: i64, up: bool) {
    let mut g = groups(&ed.course.get_untracked());
    let moved = if chapter { move_chapter(&mut g, id, up) } else { move_lesson(&mut g, id, up) };
    if !moved {
        return;
    }
    leptos::task::spawn_local(async move {
        if ed.apply(CourseEdit::Reorder(order(&g)), T::Moved).await {
            let kind = if chapter { "chapter" } else { "lesson" };
            let dir = if up { "up" } else { "down" };
            let selector = format!("[data-{kind}-id='{id}'] > .row button[data-move='{dir}']");
            request_animation_frame(move || focus(&selector));
        }
    });
}

fn focus(selector: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let el = document().query_selector(selector).ok().flatten();
        if let Some(el) = el.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = selector;
}

/// Up and down buttons; each names what it moves for screen readers.
pub(super) fn move_buttons(ed: Ed, chapter: bool, id: i64, title: &str, moves: Moves) -> impl IntoView {
    let lang = ed.lang;
    let button = move |up: bool, can: bool, label: String| {
        view! {
            <button
                type="button"
                class="small secondary"
                data-move=if up { "up" } else { "down" }
                aria-label=label.clone()
                title=label
                disabled=ed.waiting_or(!can)
                on:click=move |_| send_move(ed, chapter, id, up)
            >
                {if up { "↑" } else { "↓" }}
            </button>
        }
    };
    view! {
        <span class="move">
            {button(true, moves.up, move_label(true, title, lang))}
            {button(false, moves.down, move_label(false, title, lang))}
        </span>
    }
}

#[component]
pub(super) fn StructureCard(ed: Ed) -> impl IntoView {
    let lang = ed.lang;
    let title = NodeRef::<html::Input>::new();
    let on_add = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(input) = title.get_untracked() else { return };
        let name = input.value();
        leptos::task::spawn_local(async move {
            if ed.apply(CourseEdit::AddChapter(name), T::Saved).await {
                input.set_value("");
            }
        });
    };
    view! {
        <section class="card" id="structure">
            <h2>{T::Structure.get(lang)}</h2>
            {move || ed.course.with(|c| outline(ed, c))}
            <form id="add-chapter-form" class="inline-form" on:submit=on_add>
                <label>
                    {T::ChapterTitle.get(lang)}
                    <input type="text" id="chapter-title" required maxlength="200" node_ref=title />
                </label>
                <button type="submit" id="add-chapter" disabled=ed.waiting_or(false)>
                    {T::AddChapter.get(lang)}
                </button>
            </form>
        </section>
    }
}

fn outline(ed: Ed, c: &CourseView) -> impl IntoView {
    let lang = ed.lang;
    let empty = (c.lessons.is_empty() && c.chapters.is_empty())
        .then(|| view! { <p class="muted">{T::NoLessons.get(lang)}</p> });
    let g = groups(c);
    let last = g.len() - 1;
    let items = g
        .iter()
        .enumerate()
        .filter(|(gi, (_, ls))| *gi > 0 || !ls.is_empty())
        .map(|(gi, (chapter, ls))| {
            let ch = chapter.and_then(|id| c.chapters.iter().find(|ch| ch.id == id));
            let none = ch.is_none().then(|| view! { <h3 class="muted">{T::NoChapter.get(lang)}</h3> });
            let head = ch.map(|ch| chapter_head(ed, ch, Moves { up: gi > 1, down: gi < last }));
            let rows = ls
                .iter()
                .enumerate()
                .filter_map(|(li, id)| c.lessons.iter().find(|l| l.id == *id).map(|l| (li, l)))
                .map(|(li, l)| {
                    let moves = Moves { up: gi > 0 || li > 0, down: gi < last || li + 1 < ls.len() };
                    view! { <LessonRow ed lesson=l.clone() moves /> }
                })
                .collect_view();
            view! {
                <li class="outline-group" data-chapter-id=chapter.map(|id| id.to_string())>
                    {none}
                    {head}
                    <ol class="outline-lessons">{rows}</ol>
                </li>
            }
        })
        .collect_view();
    view! {
        {empty}
        <ol class="outline" id="outline">{items}</ol>
    }
}

fn chapter_head(ed: Ed, ch: &ChapterView, moves: Moves) -> impl IntoView {
    let lang = ed.lang;
    let (id, title) = (ch.id, ch.title.clone());
    let input = NodeRef::<html::Input>::new();
    let question = confirm_delete(&title, true, lang);
    let rename = move |ev: SubmitEvent| {
        ev.prevent_default();
        let name = input.get_untracked().map(|i| i.value()).unwrap_or_default();
        ed.edit(CourseEdit::RenameChapter(id, name), T::Saved);
    };
    let delete = move |_| {
        if confirmed(&question) {
            ed.edit(CourseEdit::DeleteChapter(id), T::Deleted);
        }
    };
    view! {
        <div class="row">
            {move_buttons(ed, true, id, &title, moves)}
            <h3 class="chapter-name">{title.clone()}</h3>
        </div>
        <details class="row-tools">
            <summary>{T::Edit.get(lang)}</summary>
            <form class="inline-form" data-action="rename-chapter" on:submit=rename>
                <label>
                    {T::ChapterTitle.get(lang)}
                    <input type="text" required maxlength="200" value=title node_ref=input />
                </label>
                <button type="submit" class="small" disabled=ed.waiting_or(false)>
                    {T::Rename.get(lang)}
                </button>
            </form>
            <button type="button" class="small danger" data-action="delete-chapter" on:click=delete>
                {T::Delete.get(lang)}
            </button>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g() -> Groups {
        vec![(None, vec![1]), (Some(10), vec![2, 3]), (Some(20), vec![4])]
    }

    #[test]
    fn a_lesson_moves_within_its_chapter() {
        let mut g = g();
        assert!(move_lesson(&mut g, 3, true));
        assert_eq!(g[1].1, vec![3, 2]);
        assert!(move_lesson(&mut g, 3, false));
        assert_eq!(g[1].1, vec![2, 3]);
    }

    #[test]
    fn a_lesson_crosses_into_the_neighbouring_chapter_at_its_edge() {
        let mut g = g();
        assert!(move_lesson(&mut g, 2, true));
        assert_eq!((g[0].1.clone(), g[1].1.clone()), (vec![1, 2], vec![3]));
        assert!(move_lesson(&mut g, 3, false));
        assert_eq!(g[2].1, vec![3, 4]);
        // Nothing above the first, nothing below the last.
        assert!(!move_lesson(&mut g, 1, true));
        assert!(!move_lesson(&mut g, 4, false));
    }

    #[test]
    fn chapters_move_with_their_lessons_and_the_order_lists_them_group_by_group() {
        let mut g = g();
        assert!(!move_chapter(&mut g, 10, true), "no chapter goes above the lessons in none");
        assert!(move_chapter(&mut g, 20, true));
        let o = order(&g);
        assert_eq!(o.chapters, vec![20, 10]);
        let places: Vec<_> = o.lessons.iter().map(|p| (p.id, p.chapter_id)).collect();
        assert_eq!(places, vec![(1, None), (4, Some(20)), (2, Some(10)), (3, Some(10))]);
        assert!(!move_chapter(&mut g, 10, false));
    }
}
