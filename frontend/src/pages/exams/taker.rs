//! The taker's side of `/exams/{id}`: an island that shows the exam's rules
//! and the person's attempts, then the attempt itself, one question at a
//! time with a question map, and finally the result with the review the
//! exam allows. What it shows comes from the server; [`super::client`]
//! talks to the REST API and keeps unsent answers on the device.

use courses::exam::api::{AttemptQuestion, AttemptView, ExamStanding, ReviewItem};
use courses::exam::{Answer, Correctness, Grade, OptionId, Outcome, QuestionData, QuestionKind};
use courses::Lang;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;

use crate::i18n::exams::{answered_line, clock, minutes, outcome_name, pass_mark, points, score_line, ExamText as T};
use crate::lang::use_lang;

/// Whether the server holds a question's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
// The browser build sets every state; the server renders none yet.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub enum SaveState {
    /// As the server has it.
    Saved,
    /// Given on the page, not acknowledged yet (queued on the device).
    Pending,
    /// Refused for good, with the server's message.
    Refused(String),
}

/// What the page shows; the client updates it.
#[derive(Clone, Copy)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub struct TakerUi {
    pub exam_id: i64,
    pub lang: Lang,
    /// The attempt as the server last sent it.
    pub attempt: RwSignal<Option<AttemptView>>,
    /// The answers the page shows, per position.
    pub answers: RwSignal<Vec<Option<Answer>>>,
    pub saves: RwSignal<Vec<SaveState>>,
    pub flagged: RwSignal<Vec<bool>>,
    /// Practice: how each saved answer was graded.
    pub feedback: RwSignal<Vec<Option<ReviewItem>>>,
    pub current: RwSignal<usize>,
    /// Time left by the server's clock; None: untimed.
    pub left_ms: RwSignal<Option<i64>>,
    pub offline: RwSignal<bool>,
    /// A message about the attempt (taken over, time up, a refusal).
    pub notice: RwSignal<Option<String>>,
    /// A request is under way (start, submit).
    pub busy: RwSignal<bool>,
    /// Hydrated: buttons work from now on.
    pub live: RwSignal<bool>,
    /// No more saves from this page (taken over, or the time is up).
    pub frozen: RwSignal<bool>,
}

/// What the page's buttons do (in the browser; nothing on the server).
#[derive(Clone, Copy)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
struct Actions {
    ui: TakerUi,
    csrf: StoredValue<String>,
}

impl Actions {
    fn start(self) {
        #[cfg(feature = "hydrate")]
        super::client::open(self.ui, self.csrf.get_value());
    }

    fn answer(self, position: usize, answer: Option<Answer>) {
        #[cfg(feature = "hydrate")]
        super::client::answer(self.ui, self.csrf.get_value(), position, answer);
        #[cfg(not(feature = "hydrate"))]
        let _ = (position, answer);
    }

    fn submit(self) {
        #[cfg(feature = "hydrate")]
        super::client::submit(self.ui, self.csrf.get_value());
    }
}

#[island]
pub fn Taker(standing: ExamStanding, csrf: String) -> impl IntoView {
    let lang = use_lang();
    let ui = TakerUi {
        exam_id: standing.id,
        lang,
        attempt: RwSignal::new(None),
        answers: RwSignal::new(Vec::new()),
        saves: RwSignal::new(Vec::new()),
        flagged: RwSignal::new(Vec::new()),
        feedback: RwSignal::new(Vec::new()),
        current: RwSignal::new(0),
        left_ms: RwSignal::new(None),
        offline: RwSignal::new(false),
        notice: RwSignal::new(None),
        busy: RwSignal::new(false),
        live: RwSignal::new(false),
        frozen: RwSignal::new(false),
    };
    let act = Actions { ui, csrf: StoredValue::new(csrf) };
    let resume = standing.open_attempt.is_some();
    Effect::new(move |done: Option<()>| {
        if done.is_none() {
            ui.live.set(true);
            #[cfg(feature = "hydrate")]
            super::client::watch(ui, act.csrf.get_value());
            // An attempt under way opens at once (taking it over from any
            // other page): a reload lands back in the paper.
            if resume {
                act.start();
            }
        }
    });
    let standing = StoredValue::new(standing);
    view! {
        <div class="taker" id="taker">
            {move || ui.notice.get().map(|n| view! { <p class="notice warning" id="exam-notice" role="status">{n}</p> })}
            {move || {
                ui.offline.get().then(|| view! { <p class="notice" id="offline-notice" role="status">{T::Offline.get(lang)}</p> })
            }}
            {move || match ui.attempt.get() {
                Some(a) if a.open => EitherOf3::A(view! { <Paper ui act /> }),
                Some(a) => EitherOf3::B(view! { <ResultView attempt=a lang /> }),
                None => EitherOf3::C(view! { <Rules standing=standing.get_value() ui act /> }),
            }}
        </div>
    }
}

/// Before an attempt: the rules, the attempts so far, the result that
/// counts, and the button to start (or why not).
#[component]
fn Rules(standing: ExamStanding, ui: TakerUi, act: Actions) -> impl IntoView {
    let lang = ui.lang;
    let s = &standing.settings;
    let time = s.time_limit_minutes.map_or_else(|| T::Untimed.get(lang).to_owned(), |m| minutes(m, lang));
    let allowed = s.attempts_allowed.map_or_else(|| T::Unlimited.get(lang).to_owned(), |n| n.to_string());
    let label = if standing.open_attempt.is_some() { T::Resume } else { T::Start };
    let can_start = standing.refusal.is_none() || standing.open_attempt.is_some();
    let result = standing.result.map(|r| {
        view! {
            <p class="big" id="exam-result" data-outcome=format!("{:?}", r.outcome).to_lowercase()>
                {T::Result.get(lang)} ": " {score_line(&r, lang)} " · " {outcome_name(r.outcome, lang)}
            </p>
        }
    });
    let attempts = (!standing.attempts.is_empty()).then(|| {
        view! {
            <h2>{T::PastAttempts.get(lang)}</h2>
            <ul class="attempt-list" id="attempt-list">
                {standing
                    .attempts
                    .iter()
                    .map(|a| {
                        let what = match (&a.score, a.open) {
                            (_, true) => T::Open.get(lang).to_owned(),
                            (Some(sc), _) => format!("{} · {}", score_line(sc, lang), outcome_name(sc.outcome, lang)),
                            (None, _) => String::new(),
                        };
                        let practice = a.practice.then(|| format!(" ({})", T::Practice.get(lang)));
                        view! { <li>{T::AttemptNo.with(a.number, lang)} {practice} ": " {what}</li> }
                    })
                    .collect_view()}
            </ul>
        }
    });
    let refusal = standing.refusal.clone().filter(|_| standing.open_attempt.is_none());
    view! {
        <section class="card exam-rules" id="exam-rules">
            <dl class="facts">
                <dt>{T::Questions.get(lang)}</dt>
                <dd>{standing.questions}</dd>
                <dt>{T::Points.get(lang)}</dt>
                <dd>{standing.max_points.to_string()}</dd>
                <dt>{T::TimeLimit.get(lang)}</dt>
                <dd id="exam-time-limit">{time}</dd>
                <dt>{T::Attempts.get(lang)}</dt>
                <dd>{format!("{} / {allowed}", standing.attempts.iter().filter(|a| a.practice == s.practice).count())}</dd>
                <dt>{T::PassMark.get(lang)}</dt>
                <dd>{pass_mark(s.pass_mark, lang)}</dd>
            </dl>
            {result}
            {refusal.map(|r| view! { <p class="notice warning" id="exam-refusal">{r}</p> })}
            {can_start
                .then(|| {
                    view! {
                        <button
                            type="button"
                            class="primary wide"
                            id="exam-start"
                            disabled=move || !ui.live.get() || ui.busy.get()
                            on:click=move |_| act.start()
                        >
                            {move || {
                                if !ui.live.get() {
                                    T::WaitForPage.get(lang)
                                } else if ui.busy.get() {
                                    T::Starting.get(lang)
                                } else {
                                    label.get(lang)
                                }
                            }}
                        </button>
                    }
                })}
            {attempts}
        </section>
    }
}

/// The attempt: the clock, one question, the way to the next, the map.
#[component]
fn Paper(ui: TakerUi, act: Actions) -> impl IntoView {
    let lang = ui.lang;
    let count = ui.attempt.with_untracked(|a| a.as_ref().map_or(0, |a| a.questions.len()));
    let clock_view = move || {
        ui.left_ms.get().map(|left| {
            view! {
                <p class="exam-clock" id="exam-clock" class:low={ left < 5 * 60_000 } role="timer" aria-live="off">
                    {T::TimeLeft.get(lang)} " " <strong>{clock(left)}</strong>
                </p>
            }
        })
    };
    let question = move || {
        let i = ui.current.get();
        ui.attempt
            .with(|a| a.as_ref().and_then(|a| a.questions.get(i).cloned()))
            .map(|q| view! { <Question q ui act /> })
    };
    let go = move |delta: isize| {
        let next = ui.current.get_untracked().saturating_add_signed(delta).min(count.saturating_sub(1));
        ui.current.set(next);
    };
    let flag_label = move || {
        let i = ui.current.get();
        if ui.flagged.with(|f| f.get(i).copied().unwrap_or(false)) { T::Unflag } else { T::Flag }.get(lang)
    };
    view! {
        <div class="paper" id="paper">
            <div class="paper-bar">
                <p class="paper-count" id="paper-count">
                    {move || answered_line(ui.answers.with(|a| a.iter().filter(|x| x.is_some()).count()), count, lang)}
                </p>
                {clock_view}
            </div>
            {question}
            <div class="paper-nav">
                <button type="button" id="prev-question" disabled=move || ui.current.get() == 0 on:click=move |_| go(-1)>
                    {T::Previous.get(lang)}
                </button>
                <button
                    type="button"
                    id="flag-question"
                    on:click=move |_| {
                        let i = ui.current.get_untracked();
                        ui.flagged.update(|f| if let Some(x) = f.get_mut(i) { *x = !*x });
                    }
                >
                    {flag_label}
                </button>
                <button
                    type="button"
                    id="next-question"
                    disabled=move || { ui.current.get() + 1 >= count }
                    on:click=move |_| go(1)
                >
                    {T::Next.get(lang)}
                </button>
            </div>
            <QuestionMap ui count />
            <button
                type="button"
                class="primary wide"
                id="exam-submit"
                disabled=move || ui.busy.get() || ui.frozen.get()
                on:click=move |_| act.submit()
            >
                {move || if ui.busy.get() { T::Submitting.get(lang) } else { T::Submit.get(lang) }}
            </button>
        </div>
    }
}

/// Every question as a numbered square: answered, unanswered, flagged,
/// not yet saved; a tap goes there.
#[component]
fn QuestionMap(ui: TakerUi, count: usize) -> impl IntoView {
    let lang = ui.lang;
    view! {
        <nav class="question-map" id="question-map" aria-label=T::QuestionMap.get(lang)>
            <h3>{T::QuestionMap.get(lang)}</h3>
            <ol>
                {(0..count)
                    .map(|i| {
                        let answered = move || ui.answers.with(|a| a.get(i).is_some_and(Option::is_some));
                        let flagged = move || ui.flagged.with(|f| f.get(i).copied().unwrap_or(false));
                        let pending = move || ui.saves.with(|s| s.get(i).is_some_and(|s| *s != SaveState::Saved));
                        view! {
                            <li>
                                <button
                                    type="button"
                                    class="map-cell"
                                    class:answered=answered
                                    class:flagged=flagged
                                    class:unsaved=pending
                                    aria-current=move || (ui.current.get() == i).then_some("step")
                                    data-position=i
                                    on:click=move |_| ui.current.set(i)
                                >
                                    {i + 1}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <p class="map-legend muted small">
                <span class="map-key answered"></span>
                {T::Answered.get(lang)}
                <span class="map-key"></span>
                {T::Unanswered.get(lang)}
                <span class="map-key flagged"></span>
                {T::Flagged.get(lang)}
                <span class="map-key unsaved"></span>
                {T::NotSaved.get(lang)}
            </p>
        </nav>
    }
}

/// "A", "B", … for the option shown `k`th.
fn letter(k: usize) -> char {
    char::from(b'A' + u8::try_from(k % 26).unwrap_or(0))
}

/// One question with the inputs of its kind, and whether its answer is saved.
#[component]
fn Question(q: AttemptQuestion, ui: TakerUi, act: Actions) -> impl IntoView {
    let lang = ui.lang;
    let pos = usize::try_from(q.position).unwrap_or(0);
    let current = move || ui.answers.with(|a| a.get(pos).cloned().flatten());
    let disabled = move || ui.frozen.get();
    let kind = q.question.kind;
    let inputs = match kind {
        QuestionKind::Single | QuestionKind::Multiple => {
            let multiple = kind == QuestionKind::Multiple;
            let options = q.question.options.clone();
            Either::Left(
                options
                    .into_iter()
                    .enumerate()
                    .map(move |(k, opt)| {
                        let id = opt.id;
                        let chosen = move || match current() {
                            Some(Answer::Single { option }) => option == id,
                            Some(Answer::Multiple { options }) => options.contains(&id),
                            _ => false,
                        };
                        let pick = move |_| {
                            let next = if multiple {
                                let mut list = match current() {
                                    Some(Answer::Multiple { options }) => options,
                                    _ => Vec::new(),
                                };
                                if let Some(at) = list.iter().position(|o| *o == id) {
                                    list.remove(at);
                                } else {
                                    list.push(id);
                                    list.sort();
                                }
                                (!list.is_empty()).then_some(Answer::Multiple { options: list })
                            } else {
                                Some(Answer::Single { option: id })
                            };
                            act.answer(pos, next);
                        };
                        view! {
                            <label class="choice" class:chosen=chosen>
                                <input
                                    type=if multiple { "checkbox" } else { "radio" }
                                    name=format!("q{pos}")
                                    value=id.0
                                    prop:checked=chosen
                                    disabled=disabled
                                    on:change=pick
                                />
                                <span class="letter">{letter(k)}</span>
                                <span class="choice-text">{opt.text}</span>
                            </label>
                        }
                    })
                    .collect_view(),
            )
        }
        QuestionKind::TrueFalse => Either::Right(EitherOf3::A(
            [(true, T::True), (false, T::False)]
                .into_iter()
                .map(move |(value, text)| {
                    let chosen = move || matches!(current(), Some(Answer::TrueFalse { value: v }) if v == value);
                    view! {
                        <label class="choice" class:chosen=chosen>
                            <input
                                type="radio"
                                name=format!("q{pos}")
                                prop:checked=chosen
                                disabled=disabled
                                on:change=move |_| act.answer(pos, Some(Answer::TrueFalse { value }))
                            />
                            <span class="choice-text">{text.get(lang)}</span>
                        </label>
                    }
                })
                .collect_view(),
        )),
        QuestionKind::FillIn => {
            let blanks = q.question.blanks;
            Either::Right(EitherOf3::B(
                (0..blanks)
                    .map(move |j| {
                        let value = move || match current() {
                            Some(Answer::FillIn { blanks }) => blanks.get(j).cloned().unwrap_or_default(),
                            _ => String::new(),
                        };
                        let change = move |ev| {
                            let mut list = match current() {
                                Some(Answer::FillIn { blanks: b }) if b.len() == blanks => b,
                                _ => vec![String::new(); blanks],
                            };
                            list[j] = event_target_value(&ev);
                            let empty = list.iter().all(|b| b.trim().is_empty());
                            act.answer(pos, (!empty).then_some(Answer::FillIn { blanks: list }));
                        };
                        view! {
                            <label class="blank">
                                <span>{T::Blank.with(j + 1, lang)}</span>
                                <input type="text" prop:value=value disabled=disabled on:change=change />
                            </label>
                        }
                    })
                    .collect_view(),
            ))
        }
        QuestionKind::ShortAnswer => {
            let value = move || match current() {
                Some(Answer::ShortAnswer { text }) => text,
                _ => String::new(),
            };
            Either::Right(EitherOf3::C(view! {
                <label class="short-answer">
                    <span class="muted small">{T::ShortAnswerHint.get(lang)}</span>
                    <textarea
                        rows="6"
                        prop:value=value
                        disabled=disabled
                        on:change=move |ev| {
                            let text = event_target_value(&ev);
                            act.answer(pos, (!text.trim().is_empty()).then_some(Answer::ShortAnswer { text }));
                        }
                    ></textarea>
                </label>
            }))
        }
    };
    let state = move || {
        ui.saves.with(|s| s.get(pos).cloned()).map(|s| {
            let answered = current().is_some();
            let (class, text) = match s {
                SaveState::Saved if answered => ("saved", T::Saved.get(lang).to_owned()),
                SaveState::Saved => ("", String::new()),
                SaveState::Pending => ("pending", T::NotSaved.get(lang).to_owned()),
                SaveState::Refused(message) => ("refused", message),
            };
            view! { <p class=format!("save-state small {class}") id="save-state" data-state=class>{text}</p> }
        })
    };
    let feedback = move || {
        ui.feedback.with(|f| f.get(pos).cloned().flatten()).map(|item| {
            view! {
                <div class="feedback" id="feedback">
                    <h4>{T::Feedback.get(lang)}</h4>
                    <GradeLine grade=item.grade lang />
                    {item.key.map(|key| view! { <KeyView key options=q.question.options.clone() lang /> })}
                </div>
            }
        })
    };
    let count = ui.attempt.with_untracked(|a| a.as_ref().map_or(0, |a| a.questions.len()));
    view! {
        <article class="question" id="question" data-position=pos data-kind=kind.as_str()>
            <p class="question-head muted small">
                {format!("{} / {count} · {} · {}", pos + 1, kind.name(lang), points(q.points, lang))}
            </p>
            <div class="stem" inner_html=q.stem_html.clone()></div>
            <div class="inputs">{inputs}</div>
            {state}
            {feedback}
        </article>
    }
}

/// 正确 / 部分正确 / 错误 / 未作答 / 待评分, with the points.
#[component]
fn GradeLine(grade: Grade, lang: Lang) -> impl IntoView {
    let (class, text) = match grade {
        Grade::Pending => ("pending", outcome_name(Outcome::Pending, lang).to_owned()),
        Grade::Scored { points, correctness } => {
            let (class, word) = match correctness {
                Correctness::Correct => ("correct", T::Correct),
                Correctness::Partial => ("partial", T::Partial),
                Correctness::Wrong => ("wrong", T::Wrong),
                Correctness::Unanswered => ("wrong", T::NotAnswered),
            };
            (class, format!("{} · {}", word.get(lang), crate::i18n::exams::points(points, lang)))
        }
    };
    view! { <p class=format!("grade {class}") data-grade=class>{text}</p> }
}

/// The right answer and the 解析, with options named by the letters the
/// taker saw.
#[component]
fn KeyView(key: QuestionData, options: Vec<courses::exam::Choice>, lang: Lang) -> impl IntoView {
    let name = |id: &OptionId| {
        options.iter().position(|o| o.id == *id).map(|k| letter(k).to_string()).unwrap_or_else(|| id.0.to_string())
    };
    let right = match key.kind {
        QuestionKind::Single | QuestionKind::Multiple => key.correct.iter().map(name).collect::<Vec<_>>().join("、"),
        QuestionKind::TrueFalse => if key.truth.unwrap_or(false) { T::True } else { T::False }.get(lang).to_owned(),
        QuestionKind::FillIn => key.blanks.iter().map(|b| b.join(" / ")).collect::<Vec<_>>().join("；"),
        QuestionKind::ShortAnswer => key.reference.clone(),
    };
    let explanation = (!key.explanation.trim().is_empty()).then(|| {
        view! {
            <p class="explanation">
                <strong>{T::Explanation.get(lang)} "："</strong>
                {key.explanation.clone()}
            </p>
        }
    });
    view! {
        <p class="right-answer">
            <strong>{T::RightAnswer.get(lang)} "："</strong>
            {right}
        </p>
        {explanation}
    }
}

/// The taker's answer in words: option letters, 对/错, the blanks, the text.
fn describe(answer: &Option<Answer>, options: &[courses::exam::Choice], lang: Lang) -> String {
    let letter_of =
        |id: &OptionId| options.iter().position(|o| o.id == *id).map(|k| letter(k).to_string()).unwrap_or_default();
    match answer {
        None => T::NotAnswered.get(lang).to_owned(),
        Some(Answer::Single { option }) => letter_of(option),
        Some(Answer::Multiple { options }) => options.iter().map(letter_of).collect::<Vec<_>>().join("、"),
        Some(Answer::TrueFalse { value }) => if *value { T::True } else { T::False }.get(lang).to_owned(),
        Some(Answer::FillIn { blanks }) => blanks.join(" / "),
        Some(Answer::ShortAnswer { text }) => text.clone(),
    }
}

/// A submitted attempt: the score and outcome, then each question with the
/// answer given, its grade and (when the exam allows) the key and 解析.
#[component]
fn ResultView(attempt: AttemptView, lang: Lang) -> impl IntoView {
    let Some(result) = attempt.result.clone() else {
        return Either::Left(view! { <p class="notice" id="exam-closed">{T::Closed.get(lang)}</p> });
    };
    let score = result.score;
    let pending =
        (score.pending > 0).then(|| view! { <p class="notice" id="pending-grading">{T::PendingGrading.get(lang)}</p> });
    let by_deadline = result.by_deadline.then(|| view! { <p class="muted">{T::TimeUp.get(lang)}</p> });
    let any_key = result.review.iter().any(|r| r.key.is_some());
    let review = result
        .review
        .into_iter()
        .map(|item| {
            let q = usize::try_from(item.position).ok().and_then(|p| attempt.questions.get(p)).cloned();
            let (stem, given, options) = match q {
                Some(q) => {
                    let given = describe(&q.answer, &q.question.options, lang);
                    (q.stem_html, given, q.question.options)
                }
                None => (String::new(), String::new(), Vec::new()),
            };
            let choices = (!options.is_empty()).then(|| {
                view! {
                    <ol class="review-options" type="A">
                        {options.iter().map(|o| view! { <li>{o.text.clone()}</li> }).collect_view()}
                    </ol>
                }
            });
            view! {
                <li class="review-item" data-position=item.position>
                    <div class="stem" inner_html=stem></div>
                    {choices}
                    <p>
                        <strong>{T::YourAnswer.get(lang)} "："</strong>
                        {given}
                    </p>
                    <GradeLine grade=item.grade lang />
                    {item.key.map(|key| view! { <KeyView key options=options.clone() lang /> })}
                </li>
            }
        })
        .collect_view();
    Either::Right(view! {
        <section class="card exam-result" id="exam-done" data-outcome=format!("{:?}", score.outcome).to_lowercase()>
            <p class="big" id="exam-score">{score_line(&score, lang)} " · " {outcome_name(score.outcome, lang)}</p>
            {pending}
            {by_deadline}
            <a href=format!("/exams/{}", attempt.exam_id) rel="external">{T::BackToStanding.get(lang)}</a>
        </section>
        {(!any_key).then(|| view! { <p class="muted" id="no-key">{T::NoKeyShown.get(lang)}</p> })}
        <ol class="review" id="review">{review}</ol>
    })
}
