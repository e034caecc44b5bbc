//! `/manage/exams`: the exams and question banks of the caller's nodes,
//! with the forms that set up a new exam and a new bank.

use courses::directory::{Me, OrgNode};
use courses::exam::api::{ExamDraft, ExamView};
use courses::exam::bank::{BankSummary, NewBank};
use courses::exam::{
    Category, Counting, DrawRule, ExamSettings, MultipleScoring, PaperSpec, PassMark, Points, Prerequisites,
    QuestionKind, ReviewPolicy, Shuffle,
};
use courses::{Lang, OrgId};
use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{create_bank, create_exam, managed_exams, publish_exam, question_banks};
use crate::api::{org_tree, AppError};
use crate::components::notice::{ActionStatus, ErrorNotice};
use crate::i18n::exam_admin::AdminText as T;
use crate::i18n::exams::{minutes, ExamText};
use crate::lang::use_lang;
use crate::loaded::page_data;
use crate::session::require_me;

#[component]
pub fn ManageExamsPage() -> impl IntoView {
    let lang = use_lang();
    let data = page_data(
        || (),
        |_| async {
            let (exams, banks, tree) = futures::join!(managed_exams(), question_banks(), org_tree());
            Ok::<_, AppError>((exams?, banks?, tree?))
        },
    );
    view! {
        <Title text=T::Title.get(lang) />
        <h1>{T::Title.get(lang)}</h1>
        {require_me(move |me: Me| {
            if !me.role.manages_people() {
                return Either::Left(view! { <p class="notice warning">{T::NoPermission.get(lang)}</p> });
            }
            let csrf = me.csrf_token.clone();
            Either::Right(view! {
                <Suspense fallback=|| ()>
                    {move || {
                        let csrf = csrf.clone();
                        Suspend::new(async move {
                            match data.await {
                                Ok((exams, banks, tree)) => Either::Left(view! {
                                    <Lists exams banks=banks.clone() csrf=csrf.clone() />
                                    <NewExamForm banks=banks.clone() tree=tree.clone() csrf=csrf.clone() />
                                    <NewBankForm tree csrf />
                                }),
                                Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                            }
                        })
                    }}
                </Suspense>
            })
        })}
    }
}

#[component]
fn Lists(exams: Vec<ExamView>, banks: Vec<BankSummary>, csrf: String) -> impl IntoView {
    let lang = use_lang();
    let exam_list = if exams.is_empty() {
        Either::Left(view! { <p class="muted" id="no-exams">{T::NoExams.get(lang)}</p> })
    } else {
        Either::Right(view! {
            <ul class="exam-list" id="managed-exams">
                {exams
                    .into_iter()
                    .map(|e| {
                        let time = e
                            .settings
                            .time_limit_minutes
                            .map_or_else(|| ExamText::Untimed.get(lang).to_owned(), |m| minutes(m, lang));
                        view! {
                            <li class="card exam-card" data-exam=e.id>
                                <a class="exam-card-title" href=format!("/manage/exams/{}", e.id)>
                                    {e.title.clone()}
                                </a>
                                {e.settings.practice.then(|| view! { <span class="tag">{ExamText::Practice.get(lang)}</span> })}
                                <p class="muted small">
                                    {ExamText::Questions.get(lang)} " " {e.paper.question_count()} " · " {time}
                                </p>
                                <PublishToggle id=e.id published=e.published csrf=csrf.clone() />
                                <p class="small">
                                    <a href=format!("/manage/exams/{}", e.id)>{T::ResultsAndGrading.get(lang)}</a>
                                    " · "
                                    <a href=format!("/exams/{}", e.id)>{T::TakerView.get(lang)}</a>
                                </p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        })
    };
    let bank_list = if banks.is_empty() {
        Either::Left(view! { <p class="muted" id="no-banks">{T::NoBanks.get(lang)}</p> })
    } else {
        Either::Right(view! {
            <ul class="bank-list" id="banks">
                {banks
                    .into_iter()
                    .map(|b| {
                        view! {
                            <li data-bank=b.id>
                                <a href=format!("/manage/banks/{}", b.id)>{b.name.clone()}</a>
                                <span class="muted small">
                                    " · " {b.org_name.clone()} " · " {T::Questions.get(lang)} " " {b.questions}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        })
    };
    view! {
        <section id="exams-section">
            <h2>{T::Exams.get(lang)}</h2>
            {exam_list}
        </section>
        <section class="card" id="banks-section">
            <h2>{T::Banks.get(lang)}</h2>
            {bank_list}
        </section>
    }
}

/// 发布 / 取消发布, with the state it is in.
#[island]
fn PublishToggle(id: i64, published: bool, csrf: String) -> impl IntoView {
    let lang = use_lang();
    let state = RwSignal::new(published);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let csrf = StoredValue::new(csrf);
    let toggle = move |_| {
        busy.set(true);
        let want = !state.get_untracked();
        leptos::task::spawn_local(async move {
            match publish_exam(csrf.get_value(), id, want).await {
                Ok(view) => {
                    state.set(view.published);
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <p class="publish">
            <span class="tag" class:success=move || state.get() data-published=move || state.get().to_string()>
                {move || if state.get() { T::Published } else { T::Draft }.get(lang)}
            </span>
            <button type="button" class="secondary small" disabled=move || busy.get() on:click=toggle>
                {move || if state.get() { T::Unpublish } else { T::Publish }.get(lang)}
            </button>
        </p>
        {move || error.get().map(|error| view! { <ErrorNotice error /> })}
    }
}

/// One draw rule as the form holds it.
#[derive(Debug, Clone, PartialEq)]
struct RuleRow {
    key: u32,
    count: String,
    kind: QuestionKind,
    category: String,
    points: String,
}

impl RuleRow {
    fn new(key: u32, kind: QuestionKind) -> RuleRow {
        RuleRow { key, count: "10".into(), kind, category: String::new(), points: "2".into() }
    }
}

/// Points as written ("2", "2.5"); anything else is 0, which the server
/// refuses with its own message.
fn parse_points(raw: &str) -> Points {
    let v: f64 = raw.trim().parse().unwrap_or(0.0);
    Points::from_tenths(if v.is_finite() && v > 0.0 { (v * 10.0).round().min(f64::from(u32::MAX)) as u32 } else { 0 })
}

/// A number field: None when blank, Some(0) when not a number (the server
/// explains what is allowed).
fn parse_optional(raw: &str) -> Option<u32> {
    let t = raw.trim();
    (!t.is_empty()).then(|| t.parse().unwrap_or(0))
}

/// Sets up an exam over banks, by draw rules, with the settings people
/// change most; the rest take the defaults.
#[island]
fn NewExamForm(banks: Vec<BankSummary>, tree: Vec<OrgNode>, csrf: String) -> impl IntoView {
    let lang = use_lang();
    let csrf = StoredValue::new(csrf);
    let title = RwSignal::new(String::new());
    let node = RwSignal::new(tree.first().map(|n| n.id.0).unwrap_or(0));
    let chosen = RwSignal::new(banks.first().map(|b| vec![b.id]).unwrap_or_default());
    let rules = RwSignal::new(vec![RuleRow::new(1, QuestionKind::Single)]);
    let next_key = StoredValue::new(2u32);
    let time = RwSignal::new("40".to_owned());
    let attempts = RwSignal::new("1".to_owned());
    let pass = RwSignal::new("60".to_owned());
    let review = RwSignal::new(ReviewPolicy::AfterSubmit);
    let shuffle = RwSignal::new(true);
    let practice = RwSignal::new(false);
    let hours = RwSignal::new("0".to_owned());
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<String, AppError>>);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let draw: Vec<DrawRule> = rules
            .get_untracked()
            .iter()
            .map(|r| DrawRule {
                count: r.count.trim().parse().unwrap_or(0),
                kind: r.kind,
                category: Category::parse(&r.category).ok().filter(|_| !r.category.trim().is_empty()),
                difficulty: None,
                points_each: parse_points(&r.points),
            })
            .collect();
        let settings = ExamSettings {
            time_limit_minutes: parse_optional(&time.get_untracked()),
            window: None,
            attempts_allowed: parse_optional(&attempts.get_untracked()),
            counting: Counting::Highest,
            pass_mark: PassMark::Percent(pass.get_untracked().trim().parse().unwrap_or(101)),
            multiple_scoring: MultipleScoring::AllOrNothing,
            shuffle: Shuffle { questions: shuffle.get_untracked(), options: shuffle.get_untracked() },
            review: review.get_untracked(),
            prerequisites: Prerequisites {
                courses: Vec::new(),
                credited_hours: hours.get_untracked().trim().parse().unwrap_or(0),
            },
            practice: practice.get_untracked(),
        };
        let draft = ExamDraft {
            org_id: OrgId(node.get_untracked()),
            title: title.get_untracked(),
            settings,
            paper: PaperSpec::Drawn { rules: draw },
            banks: chosen.get_untracked(),
            audience: None,
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match create_exam(csrf.get_value(), draft).await {
                Ok(view) => crate::pages::go_to(&format!("/manage/exams/{}", view.id)),
                Err(e) => outcome.set(Some(Err(e))),
            }
            busy.set(false);
        });
    };
    let kinds = move |selected: QuestionKind| {
        QuestionKind::ALL
            .into_iter()
            .map(|k| view! { <option value=k.as_str() selected=k == selected>{k.name(lang)}</option> })
            .collect_view()
    };
    let rule_rows = move || {
        rules
            .get()
            .into_iter()
            .map(|r| {
                let key = r.key;
                let edit = move |f: fn(&mut RuleRow, String), value: String| {
                    rules.update(|list| {
                        if let Some(row) = list.iter_mut().find(|x| x.key == key) {
                            f(row, value);
                        }
                    })
                };
                view! {
                    <fieldset class="rule-row" data-rule=key>
                        <label>
                            {T::RuleCount.get(lang)}
                            <input type="number" min="1" inputmode="numeric" prop:value=r.count.clone()
                                on:change=move |ev| edit(|row, v| row.count = v, event_target_value(&ev)) />
                        </label>
                        <label>
                            {T::RuleKind.get(lang)}
                            <select on:change=move |ev| edit(|row, v| row.kind = QuestionKind::parse(&v).unwrap_or(row.kind), event_target_value(&ev))>
                                {kinds(r.kind)}
                            </select>
                        </label>
                        <label>
                            {T::RuleCategory.get(lang)}
                            <input type="text" prop:value=r.category.clone()
                                on:change=move |ev| edit(|row, v| row.category = v, event_target_value(&ev)) />
                        </label>
                        <label>
                            {T::RulePoints.get(lang)}
                            <input type="text" inputmode="decimal" prop:value=r.points.clone()
                                on:change=move |ev| edit(|row, v| row.points = v, event_target_value(&ev)) />
                        </label>
                        <button type="button" class="secondary small"
                            on:click=move |_| rules.update(|list| list.retain(|x| x.key != key))>
                            {T::RemoveRule.get(lang)}
                        </button>
                    </fieldset>
                }
            })
            .collect_view()
    };
    let bank_boxes = banks
        .iter()
        .map(|b| {
            let id = b.id;
            view! {
                <label class="check">
                    <input type="checkbox" prop:checked=move || chosen.with(|c| c.contains(&id))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|c| { c.retain(|x| *x != id); if on { c.push(id); } });
                        } />
                    {format!("{} ({})", b.name, b.org_name)}
                </label>
            }
        })
        .collect_view();
    let nodes = tree.iter().map(|n| view! { <option value=n.id.0>{n.name_path.clone()}</option> }).collect_view();
    let review_options = [
        (ReviewPolicy::AfterSubmit, T::ReviewAfterSubmit),
        (ReviewPolicy::AfterWindowCloses, T::ReviewAfterWindow),
        (ReviewPolicy::Never, T::ReviewNever),
    ];
    view! {
        <section class="card" id="new-exam">
            <h2>{T::NewExam.get(lang)}</h2>
            <form id="new-exam-form" on:submit=submit>
                <label>
                    {T::ExamTitle.get(lang)}
                    <input type="text" id="new-exam-title" required maxlength="200"
                        on:change=move |ev| title.set(event_target_value(&ev)) />
                </label>
                <label>
                    {T::Node.get(lang)}
                    <select id="new-exam-node" on:change=move |ev| node.set(event_target_value(&ev).parse().unwrap_or(0))>
                        {nodes}
                    </select>
                </label>
                <fieldset>
                    <legend>{T::FromBanks.get(lang)}</legend>
                    {bank_boxes}
                </fieldset>
                <fieldset>
                    <legend>{T::Rules.get(lang)}</legend>
                    {rule_rows}
                    <button type="button" class="secondary small" id="add-rule"
                        on:click=move |_| {
                            let key = next_key.get_value();
                            next_key.set_value(key + 1);
                            rules.update(|list| list.push(RuleRow::new(key, QuestionKind::TrueFalse)));
                        }>
                        {T::AddRule.get(lang)}
                    </button>
                </fieldset>
                <div class="form-grid">
                    <label>
                        {T::TimeLimitMinutes.get(lang)}
                        <input type="number" min="1" inputmode="numeric" id="new-exam-time" prop:value=time
                            placeholder=T::BlankUntimed.get(lang) on:change=move |ev| time.set(event_target_value(&ev)) />
                    </label>
                    <label>
                        {T::AttemptsAllowed.get(lang)}
                        <input type="number" min="1" inputmode="numeric" prop:value=attempts
                            placeholder=T::BlankUnlimited.get(lang) on:change=move |ev| attempts.set(event_target_value(&ev)) />
                    </label>
                    <label>
                        {T::PassPercent.get(lang)}
                        <input type="number" min="0" max="100" inputmode="numeric" prop:value=pass
                            on:change=move |ev| pass.set(event_target_value(&ev)) />
                    </label>
                    <label>
                        {T::HoursNeeded.get(lang)}
                        <input type="number" min="0" inputmode="numeric" prop:value=hours
                            on:change=move |ev| hours.set(event_target_value(&ev)) />
                    </label>
                    <label>
                        {T::Review.get(lang)}
                        <select on:change=move |ev| {
                            let v = event_target_value(&ev);
                            review.set(review_options.iter().find(|o| format!("{:?}", o.0) == v).map_or(ReviewPolicy::AfterSubmit, |o| o.0));
                        }>
                            {review_options.iter().map(|(p, t)| view! { <option value=format!("{p:?}")>{t.get(lang)}</option> }).collect_view()}
                        </select>
                    </label>
                </div>
                <label class="check">
                    <input type="checkbox" prop:checked=shuffle on:change=move |ev| shuffle.set(event_target_checked(&ev)) />
                    {T::Shuffle.get(lang)}
                </label>
                <label class="check">
                    <input type="checkbox" prop:checked=practice on:change=move |ev| practice.set(event_target_checked(&ev)) />
                    {T::Practice.get(lang)}
                </label>
                <button type="submit" id="create-exam" disabled=move || busy.get()>{T::CreateExam.get(lang)}</button>
                <ActionStatus outcome=outcome />
            </form>
        </section>
    }
}

/// A new bank of one of the caller's nodes.
#[island]
fn NewBankForm(tree: Vec<OrgNode>, csrf: String) -> impl IntoView {
    let lang: Lang = use_lang();
    let csrf = StoredValue::new(csrf);
    let name = RwSignal::new(String::new());
    let node = RwSignal::new(tree.first().map(|n| n.id.0).unwrap_or(0));
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<String, AppError>>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        let new =
            NewBank { org_id: OrgId(node.get_untracked()), name: name.get_untracked(), description: String::new() };
        leptos::task::spawn_local(async move {
            match create_bank(csrf.get_value(), new).await {
                Ok(bank) => crate::pages::go_to(&format!("/manage/banks/{}", bank.id)),
                Err(e) => outcome.set(Some(Err(e))),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card" id="new-bank">
            <h2>{T::NewBank.get(lang)}</h2>
            <form id="new-bank-form" on:submit=submit>
                <label>
                    {T::BankName.get(lang)}
                    <input type="text" id="new-bank-name" required maxlength="200"
                        on:change=move |ev| name.set(event_target_value(&ev)) />
                </label>
                <label>
                    {T::Node.get(lang)}
                    <select on:change=move |ev| node.set(event_target_value(&ev).parse().unwrap_or(0))>
                        {tree.iter().map(|n| view! { <option value=n.id.0>{n.name_path.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <button type="submit" id="create-bank" disabled=move || busy.get()>{T::CreateBank.get(lang)}</button>
                <ActionStatus outcome=outcome />
            </form>
        </section>
    }
}
