//! The course's settings form: title, summary, 必修/选修, credit hours,
//! due date and the audience, saved together (the API replaces them as
//! one).

use courses::course::edit::check_credit_hours;
use courses::course::CourseSettings;
use courses::directory::OrgNode;
use courses::i18n::Localize;
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;

use super::api::CourseEdit;
use super::Ed;
use crate::components::audience_picker::{AudienceFields, AudiencePicker, PickerText};
use crate::i18n::manage::ManageText as T;
use crate::loaded::Loaded;

#[component]
pub(super) fn SettingsCard(ed: Ed, tree: Loaded<Vec<OrgNode>>) -> impl IntoView {
    let lang = ed.lang;
    let c = ed.course.get_untracked();
    let (title, hours, due) =
        (NodeRef::<html::Input>::new(), NodeRef::<html::Input>::new(), NodeRef::<html::Input>::new());
    let summary = NodeRef::<html::Textarea>::new();
    let required = NodeRef::<html::Select>::new();
    let audience =
        AudiencePicker::new(c.audience.clone().unwrap_or_else(|| courses::course::Audience::subtree_of(c.org_id)));
    let course_id = c.id;
    // Names of the people already named, once, in the browser.
    Effect::new(move |_| {
        if audience.names_people() {
            leptos::task::spawn_local(async move {
                if let Ok(found) = super::api::named_people(course_id).await {
                    audience.know_names(found.into_iter().map(|p| (p.id.0, p.name.to_string())));
                }
            });
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let value = |r: NodeRef<html::Input>| r.get_untracked().map(|e| e.value()).unwrap_or_default();
        let credit = match value(hours)
            .trim()
            .parse::<f64>()
            .map_err(|_| ())
            .and_then(|h| check_credit_hours(h).map_err(|_| ()))
        {
            Ok(h) => h,
            Err(()) => return ed.refuse(courses::course::CourseError::BadCreditHours.localize(lang)),
        };
        let due = value(due);
        let settings = CourseSettings {
            title: value(title),
            summary: summary.get_untracked().map(|e| e.value()).unwrap_or_default(),
            required: required.get_untracked().is_some_and(|e| e.value() == "1"),
            credit_hours: credit,
            due_on: (!due.trim().is_empty()).then_some(due),
            audience: audience.get(),
        };
        ed.edit(CourseEdit::Settings(settings), T::Saved);
    };

    view! {
        <section class="card" id="settings">
            <h2>{T::Settings.get(lang)}</h2>
            <form id="settings-form" on:submit=on_submit>
                <label>
                    {T::CourseTitle.get(lang)}
                    <input type="text" id="course-title" required maxlength="200" value=c.title node_ref=title />
                </label>
                <label>
                    {T::Summary.get(lang)}
                    <textarea id="course-summary" rows="3" node_ref=summary>
                        {c.summary}
                    </textarea>
                </label>
                <div class="fields">
                    <label>
                        {T::Kind.get(lang)}
                        <select id="course-required" node_ref=required>
                            <option value="1" selected=c.required>
                                {T::Required.get(lang)}
                            </option>
                            <option value="0" selected=!c.required>
                                {T::Elective.get(lang)}
                            </option>
                        </select>
                    </label>
                    <label>
                        {T::CreditHours.get(lang)}
                        <input
                            type="number"
                            id="course-hours"
                            min="0"
                            max="200"
                            step="0.5"
                            inputmode="decimal"
                            value=c.credit_hours.to_string()
                            aria-describedby="course-hours-hint"
                            node_ref=hours
                        />
                        <span class="muted small" id="course-hours-hint">
                            {T::CreditHint.get(lang)}
                        </span>
                    </label>
                    <label>
                        {T::DueOn.get(lang)}
                        <input type="date" id="course-due" value=c.due_on.unwrap_or_default() node_ref=due />
                    </label>
                </div>
                <AudienceFields picker=audience tree node=Signal::stored(c.org_id) text=picker_text(lang) id="audience" lang />
                <button type="submit" id="save-settings" disabled=ed.waiting_or(false)>
                    {T::SaveSettings.get(lang)}
                </button>
            </form>
        </section>
    }
}

/// The audience picker's words.
fn picker_text(lang: courses::Lang) -> PickerText {
    PickerText {
        legend: T::Audience.get(lang),
        help: T::AudienceHelp.get(lang),
        nodes: T::AudienceOrgs.get(lang),
        roles: T::AudienceRoles.get(lang),
        people: T::AudiencePeople.get(lang),
        pick_node: T::PickOrg.get(lang),
        remove_person: T::RemovePerson.get(lang),
        no_people: T::NoPeopleChosen.get(lang),
    }
}
