//! Each report as the page shows it: tables with drill-down links, and a
//! chart beside the roll-up and the hours. Used for live reports and for
//! snapshots alike (`links` off for a snapshot: it is a record, not a map).
//!
//! Every cell carries its column's heading in `data-label`: on a phone the
//! stylesheet shows each row as a card of "heading: value" lines, with the
//! row's name (`.row-title`) on top, so no column is hidden off screen.

use courses::report::{
    percent, Counts, HoursReport, MemberReport, NodeRow, OrgReport, OverdueReport, ReportData, ReportKind, ReportQuery,
};
use courses::Lang;
use leptos::prelude::*;

use super::chart::{Bar, BarChart};
use super::{page_href, unfinished_href};
use crate::i18n::reports::{of, rate, ReportText as T};

/// The report `data`; `base` is the query it answered, for drill-down links.
pub fn report_view(data: ReportData, base: Option<ReportQuery>, lang: Lang) -> AnyView {
    match data {
        ReportData::Org(r) => org_view(r, base, lang),
        ReportData::Members(r) => members_view(r, lang, base.is_some()),
        ReportData::Overdue(r) => overdue_view(r, lang),
        ReportData::Hours(r) => hours_view(r, lang),
        ReportData::Person(a) => super::person::archive_view(a, lang),
        ReportData::Meeting(m) => view! {
            <p>
                <a href=format!("/meetings/{}", m.summary.id)>{m.summary.held_on} " · " {m.summary.topic}</a>
            </p>
        }
        .into_any(),
    }
}

fn count_cells(c: &Counts, lang: Lang) -> impl IntoView {
    view! {
        <td class="num" data-label=T::Assigned.get(lang)>{c.assigned}</td>
        <td class="num" data-label=T::Completed.get(lang)>{c.assigned_done}</td>
        <td class="num" data-label=T::Rate.get(lang)>{rate(c.completion())}</td>
        <td class="num" class:alert={c.overdue > 0} data-label=T::Overdue.get(lang)>{c.overdue}</td>
        <td class="num" data-label=T::Started.get(lang)>{c.started}</td>
    }
}

/// One row of a [`labelled_table`]: the id of what it is about (a course,
/// a meeting; its `data-id`), whether it needs attention, and its cells.
pub(super) struct Row<const N: usize> {
    pub id: i64,
    pub alert: bool,
    pub cells: [String; N],
}

/// A table whose headings and cells are arrays of one length, so each
/// value sits under its own heading; the first column names the row.
pub(super) fn labelled_table<const N: usize>(
    id: &'static str,
    headings: [&'static str; N],
    numbers: [bool; N],
    rows: Vec<Row<N>>,
) -> AnyView {
    let head = headings.iter().map(|h| view! { <th>{*h}</th> }).collect_view();
    let body = rows
        .into_iter()
        .map(|row| {
            let cells = row
                .cells
                .into_iter()
                .enumerate()
                .map(|(i, cell)| {
                    let class = match (i, numbers[i]) {
                        (0, _) => "row-title",
                        (_, true) => "num",
                        _ => "",
                    };
                    view! { <td class=class data-label=headings[i]>{cell}</td> }
                })
                .collect_view();
            view! { <tr class:alert=row.alert data-id=row.id>{cells}</tr> }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="report" id=id>
                <thead><tr>{head}</tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
    .into_any()
}

fn count_headers(lang: Lang) -> impl IntoView {
    view! {
        <th>{T::People.get(lang)}</th>
        <th>{T::Assigned.get(lang)}</th>
        <th>{T::Completed.get(lang)}</th>
        <th>{T::Rate.get(lang)}</th>
        <th>{T::Overdue.get(lang)}</th>
        <th>{T::Started.get(lang)}</th>
    }
}

/// The same report one node down (`members`: that node's people).
fn link(base: &Option<ReportQuery>, members: bool, org: i64) -> Option<String> {
    base.as_ref().map(|b| {
        let mut q = b.clone();
        if members {
            q.kind = ReportKind::Members;
        }
        q.org_id = Some(org);
        page_href(&q)
    })
}

fn org_view(r: OrgReport, base: Option<ReportQuery>, lang: Lang) -> AnyView {
    let bars: Vec<Bar> = r
        .children
        .iter()
        .map(|c| Bar {
            label: c.org.name.clone(),
            value: c.counts.completion().unwrap_or(0.0),
            text: rate(c.counts.completion()),
        })
        .collect();
    let row = |n: NodeRow, own: bool| {
        // Every child drills down (a leaf shows its own people); the node's
        // own row is this report already.
        let drill = if own { None } else { link(&base, false, n.org.id) };
        let members = link(&base, true, n.org.id);
        let name = if own { format!("{}{}", n.org.name, T::OwnMembers.get(lang)) } else { n.org.name.clone() };
        view! {
            <tr data-org=n.org.id>
                <td class="row-title">
                    {match drill {
                        Some(href) => view! { <a class="drill" href=href>{name}</a> }.into_any(),
                        None => view! { <span>{name}</span> }.into_any(),
                    }}
                    {members.map(|href| view! { " " <a class="members-link small" href=href>{T::TabMembers.get(lang)}</a> })}
                </td>
                <td class="num" data-label=T::People.get(lang)>{n.people}</td>
                {count_cells(&n.counts, lang)}
            </tr>
        }
    };
    let crumbs = r
        .breadcrumb
        .iter()
        .map(|b| {
            let href = link(&base, false, b.id);
            view! { <a href=href>{b.name.clone()}</a> " / " }
        })
        .collect_view();
    let subject = r.course.as_ref().map(|c| format!(" · {}", c.name)).unwrap_or_default();
    let total = r.total.clone();
    // Who has not finished, one tap from the roll-up (of this node and filter).
    let open = total.counts.assigned.saturating_sub(total.counts.assigned_done);
    let unfinished = base.as_ref().map(|b| {
        let mut q = b.clone();
        q.org_id = Some(r.org.id);
        view! {
            <p class="unfinished-link">
                <a class="button" id="show-unfinished" href=unfinished_href(&q)>
                    {T::TabUnfinished.get(lang)}
                    <span class="badge" class:overdue={open > 0}>{open}</span>
                </a>
            </p>
        }
    });
    view! {
        <nav class="breadcrumb" id="report-breadcrumb">{crumbs} <strong>{r.org.name.clone()}</strong> {subject}</nav>
        <ul class="tally" id="report-tally">
            <li><span class="tally-n">{total.counts.assigned}</span><span class="muted">{T::Assigned.get(lang)}</span></li>
            <li><span class="tally-n">{total.counts.assigned_done}</span><span class="muted">{T::Completed.get(lang)}</span></li>
            <li><span class="tally-n" id="report-rate">{rate(total.counts.completion())}</span><span class="muted">{T::Rate.get(lang)}</span></li>
            <li><span class="tally-n">{total.counts.overdue}</span><span class="muted">{T::Overdue.get(lang)}</span></li>
        </ul>
        {unfinished}
        {(!bars.is_empty()).then(|| view! { <BarChart bars max=100.0 unit="%" id="chart-completion" title=T::ChartCompletion.get(lang).to_owned() /> })}
        <div class="table-scroll">
            <table class="report" id="report-table">
                <thead><tr><th>{T::Org.get(lang)}</th>{count_headers(lang)}</tr></thead>
                <tbody>
                    {r.children.into_iter().map(|c| row(c, false)).collect_view()}
                    {r.own.map(|o| row(o, true))}
                </tbody>
                <tfoot>
                    <tr class="total">
                        <th class="row-title">{T::Total.get(lang)}</th>
                        <td class="num" data-label=T::People.get(lang)>{total.people}</td>
                        {count_cells(&total.counts, lang)}
                    </tr>
                </tfoot>
            </table>
        </div>
        <p class="muted">{T::AsOf.get(lang)} " " {r.as_of}</p>
    }
    .into_any()
}

fn members_view(r: MemberReport, lang: Lang, links: bool) -> AnyView {
    if r.rows.is_empty() {
        return view! { <p class="muted">{T::NoRows.get(lang)}</p> }.into_any();
    }
    let truncated = r.truncated;
    view! {
        <h2>{r.org.name.clone()} " · " {T::TabMembers.get(lang)}</h2>
        <div class="table-scroll">
            <table class="report" id="members-table">
                <thead>
                    <tr>
                        <th>{T::Name.get(lang)}</th>
                        <th>{T::Org.get(lang)}</th>
                        <th>{T::Assigned.get(lang)}</th>
                        <th>{T::Completed.get(lang)}</th>
                        <th>{T::Overdue.get(lang)}</th>
                        <th>{T::Hours.get(lang)}</th>
                    </tr>
                </thead>
                <tbody>
                    {r.rows
                        .into_iter()
                        .map(|m| {
                            let name = if links {
                                view! { <a href=format!("/reports/people/{}", m.person_id)>{m.name.clone()}</a> }.into_any()
                            } else {
                                view! { <span>{m.name.clone()}</span> }.into_any()
                            };
                            view! {
                                <tr data-login=m.login.clone() class:alert={m.counts.overdue > 0}>
                                    <td class="row-title">{name}</td>
                                    <td data-label=T::Org.get(lang)>{m.org.name}</td>
                                    <td class="num" data-label=T::Assigned.get(lang)>{m.counts.assigned}</td>
                                    <td class="num" data-label=T::Completed.get(lang)>{m.counts.assigned_done}</td>
                                    <td class="num" data-label=T::Overdue.get(lang)>{m.counts.overdue}</td>
                                    <td class="num" data-label=T::Hours.get(lang)>
                                        {format!("{:.2} / {}", m.hours, m.target_hours)}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        {truncated.then(|| view! { <p class="muted">{T::Truncated.get(lang)}</p> })}
    }
    .into_any()
}

fn overdue_view(r: OverdueReport, lang: Lang) -> AnyView {
    if r.rows.is_empty() {
        return view! { <p class="muted" id="no-overdue">{T::NoRows.get(lang)}</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="report" id="overdue-table">
                <thead>
                    <tr>
                        <th>{T::Name.get(lang)}</th>
                        <th>{T::Org.get(lang)}</th>
                        <th>{T::Subject.get(lang)}</th>
                        <th>{T::Due.get(lang)}</th>
                        <th>{T::DaysOverdue.get(lang)}</th>
                        <th>{T::Lessons.get(lang)}</th>
                    </tr>
                </thead>
                <tbody>
                    {r.rows
                        .into_iter()
                        .map(|o| {
                            let source = if o.source == "meeting" { T::Makeup } else { T::AssignedCourse };
                            view! {
                                <tr data-person=o.person_id data-source=o.source.clone()>
                                    <td class="row-title">
                                        <a href=format!("/reports/people/{}", o.person_id)>{o.name}</a>
                                    </td>
                                    <td data-label=T::Org.get(lang)>{o.org.name}</td>
                                    <td data-label=T::Subject.get(lang)>{source.get(lang)} " · " {o.subject.name}</td>
                                    <td data-label=T::Due.get(lang)>{o.due_on}</td>
                                    <td class="num" data-label=T::DaysOverdue.get(lang)>{o.days_overdue}</td>
                                    <td class="num" data-label=T::Lessons.get(lang)>{of(o.lessons_done, o.lessons_total)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

fn hours_view(r: HoursReport, lang: Lang) -> AnyView {
    let bars: Vec<Bar> = r
        .months
        .iter()
        .enumerate()
        .map(|(i, h)| Bar { label: format!("{}-{:02}", r.year, i + 1), value: *h, text: format!("{h:.2}") })
        .collect();
    #[derive(Clone, Copy, PartialEq)]
    enum Line {
        Child,
        /// The node's own people (those of no child node).
        Own,
        Total,
    }
    let row = |h: courses::report::HoursRow, line: Line| {
        let name = match line {
            Line::Child => h.org.name,
            Line::Own => format!("{}{}", h.org.name, T::OwnMembers.get(lang)),
            Line::Total => T::Total.get(lang).to_owned(),
        };
        view! {
            <tr class:total=line == Line::Total class:own=line == Line::Own data-org=h.org.id>
                <td class="row-title">{name}</td>
                <td class="num" data-label=T::People.get(lang)>{h.people}</td>
                <td class="num" data-label=T::Reached.get(lang)>{h.reached}</td>
                <td class="num" data-label=T::Rate.get(lang)>{rate(percent(h.reached, h.people))}</td>
                <td class="num" data-label=T::Average.get(lang)>{format!("{:.2}", h.average_hours)}</td>
            </tr>
        }
    };
    view! {
        <p class="muted">{T::Target.get(lang)} ": " {r.member_target_hours} " " {T::Hours.get(lang)}</p>
        // At least one 学时 of axis: a month of minutes is a short bar.
        <BarChart
            bars
            floor=1.0
            unit=T::HoursUnit.get(lang)
            id="chart-hours"
            title=format!("{} {}", r.year, T::ChartHours.get(lang))
        />
        <div class="table-scroll">
            <table class="report" id="hours-table">
                <thead>
                    <tr>
                        <th>{T::Org.get(lang)}</th>
                        <th>{T::People.get(lang)}</th>
                        <th>{T::Reached.get(lang)}</th>
                        <th>{T::Rate.get(lang)}</th>
                        <th>{T::Average.get(lang)}</th>
                    </tr>
                </thead>
                <tbody>
                    {r.children.into_iter().map(|h| row(h, Line::Child)).collect_view()}
                    {r.own.map(|h| row(h, Line::Own))}
                </tbody>
                <tfoot>{row(r.total, Line::Total)}</tfoot>
            </table>
        </div>
    }
    .into_any()
}
