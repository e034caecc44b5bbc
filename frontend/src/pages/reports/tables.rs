//! Each report as the page shows it: tables with drill-down links, and a
//! chart beside the roll-up and the hours. Used for live reports and for
//! snapshots alike (`links` off for a snapshot: it is a record, not a map).

use courses::report::{
    percent, Counts, HoursReport, MemberArchive, MemberReport, NodeRow, OrgReport, OverdueReport, ReportData,
    ReportKind, ReportQuery,
};
use courses::Lang;
use leptos::prelude::*;

use super::chart::{Bar, BarChart};
use super::page_href;
use crate::i18n::reports::{of, rate, ReportText as T};

/// The report `data`; `base` is the query it answered, for drill-down links.
pub fn report_view(data: ReportData, base: Option<ReportQuery>, lang: Lang) -> AnyView {
    match data {
        ReportData::Org(r) => org_view(r, base, lang),
        ReportData::Members(r) => members_view(r, lang, base.is_some()),
        ReportData::Overdue(r) => overdue_view(r, lang),
        ReportData::Hours(r) => hours_view(r, lang),
        ReportData::Person(a) => archive_view(a, lang),
        ReportData::Meeting(m) => view! {
            <p>
                <a href=format!("/meetings/{}", m.summary.id)>{m.summary.held_on} " · " {m.summary.topic}</a>
            </p>
        }
        .into_any(),
    }
}

fn count_cells(c: &Counts) -> impl IntoView {
    view! {
        <td class="num">{c.assigned}</td>
        <td class="num">{c.assigned_done}</td>
        <td class="num">{rate(c.completion())}</td>
        <td class="num" class:alert={c.overdue > 0}>{c.overdue}</td>
        <td class="num">{c.started}</td>
    }
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
                <td>
                    {match drill {
                        Some(href) => view! { <a class="drill" href=href>{name}</a> }.into_any(),
                        None => view! { <span>{name}</span> }.into_any(),
                    }}
                    {members.map(|href| view! { " " <a class="members-link small" href=href>{T::TabMembers.get(lang)}</a> })}
                </td>
                <td class="num">{n.people}</td>
                {count_cells(&n.counts)}
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
    view! {
        <nav class="breadcrumb" id="report-breadcrumb">{crumbs} <strong>{r.org.name.clone()}</strong> {subject}</nav>
        <ul class="tally" id="report-tally">
            <li><span class="tally-n">{total.counts.assigned}</span><span class="muted">{T::Assigned.get(lang)}</span></li>
            <li><span class="tally-n">{total.counts.assigned_done}</span><span class="muted">{T::Completed.get(lang)}</span></li>
            <li><span class="tally-n" id="report-rate">{rate(total.counts.completion())}</span><span class="muted">{T::Rate.get(lang)}</span></li>
            <li><span class="tally-n">{total.counts.overdue}</span><span class="muted">{T::Overdue.get(lang)}</span></li>
        </ul>
        {(!bars.is_empty()).then(|| view! { <BarChart bars max=100.0 id="chart-completion" title=T::ChartCompletion.get(lang).to_owned() /> })}
        <div class="table-scroll">
            <table class="report" id="report-table">
                <thead><tr><th>{T::Org.get(lang)}</th>{count_headers(lang)}</tr></thead>
                <tbody>
                    {r.children.into_iter().map(|c| row(c, false)).collect_view()}
                    {r.own.map(|o| row(o, true))}
                </tbody>
                <tfoot>
                    <tr class="total"><th>{T::Total.get(lang)}</th><td class="num">{total.people}</td>{count_cells(&total.counts)}</tr>
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
                                    <td>{name}</td>
                                    <td>{m.org.name}</td>
                                    <td class="num">{m.counts.assigned}</td>
                                    <td class="num">{m.counts.assigned_done}</td>
                                    <td class="num">{m.counts.overdue}</td>
                                    <td class="num">{format!("{:.2} / {}", m.hours, m.target_hours)}</td>
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
                                    <td><a href=format!("/reports/people/{}", o.person_id)>{o.name}</a></td>
                                    <td>{o.org.name}</td>
                                    <td>{source.get(lang)} " · " {o.subject.name}</td>
                                    <td>{o.due_on}</td>
                                    <td class="num">{o.days_overdue}</td>
                                    <td class="num">{of(o.lessons_done, o.lessons_total)}</td>
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
    let row = |h: courses::report::HoursRow, total: bool| {
        view! {
            <tr class:total=total>
                <td>{if total { T::Total.get(lang).to_owned() } else { h.org.name }}</td>
                <td class="num">{h.people}</td>
                <td class="num">{h.reached}</td>
                <td class="num">{rate(percent(h.reached, h.people))}</td>
                <td class="num">{format!("{:.2}", h.average_hours)}</td>
            </tr>
        }
    };
    view! {
        <p class="muted">{T::Target.get(lang)} ": " {r.member_target_hours} " " {T::Hours.get(lang)}</p>
        <BarChart bars id="chart-hours" title=format!("{} {}", r.year, T::ChartHours.get(lang)) />
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
                <tbody>{r.children.into_iter().map(|h| row(h, false)).collect_view()}</tbody>
                <tfoot>{row(r.total, true)}</tfoot>
            </table>
        </div>
    }
    .into_any()
}

fn archive_view(a: MemberArchive, lang: Lang) -> AnyView {
    let yes_no = |b: bool| if b { T::Yes.get(lang) } else { T::No.get(lang) };
    view! {
        <h2 id="archive-name">{a.name.clone()} " · " {a.org.name.clone()}</h2>
        <h3>{T::Courses.get(lang)}</h3>
        <div class="table-scroll">
            <table class="report" id="archive-courses">
                <thead>
                    <tr>
                        <th>{T::Course.get(lang)}</th>
                        <th>{T::Assigned.get(lang)}</th>
                        <th>{T::Due.get(lang)}</th>
                        <th>{T::Lessons.get(lang)}</th>
                        <th>{T::StartedOn.get(lang)}</th>
                        <th>{T::CompletedOn.get(lang)}</th>
                        <th>{T::Hours.get(lang)}</th>
                    </tr>
                </thead>
                <tbody>
                    {a.courses
                        .into_iter()
                        .map(|c| {
                            view! {
                                <tr data-course=c.course.id class:alert=c.overdue>
                                    <td>{c.course.name}</td>
                                    <td>{yes_no(c.assigned)}</td>
                                    <td>{c.due_on.unwrap_or_default()}</td>
                                    <td class="num">{of(c.lessons_done, c.lessons_total)}</td>
                                    <td>{c.started_on.unwrap_or_default()}</td>
                                    <td>{c.completed_on.unwrap_or_default()}</td>
                                    <td class="num">{format!("{:.2}", c.hours)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <h3>{T::Years.get(lang)}</h3>
        <ul id="archive-years">
            {a.years
                .into_iter()
                .map(|y| view! { <li>{y.year} ": " {format!("{:.2}", y.hours)} " / " {y.target_hours} " " {T::Hours.get(lang)}</li> })
                .collect_view()}
        </ul>
        <h3>{T::Makeups.get(lang)}</h3>
        <ul id="archive-makeups">
            {a.makeups
                .into_iter()
                .map(|m| {
                    view! {
                        <li class:alert=m.overdue>
                            {m.held_on} " · " {m.topic} " · " {T::Due.get(lang)} " " {m.deadline} " · "
                            {yes_no(m.done)}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
