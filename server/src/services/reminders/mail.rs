//! Reminder e-mail over SMTP (lettre, tokio, rustls). Configured by
//! `smtp_url` and `smtp_from`; without `smtp_url` there is no mailer and
//! reminders stay in the app. The URL may carry a password: it is never
//! logged, and errors name the recipient's id, not the URL.

use std::time::Duration;

use courses::notify::Mail;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::Settings;

/// Longest one SMTP exchange may take before the message counts as not sent.
const SMTP_TIMEOUT: Duration = Duration::from_secs(15);
/// After this many failures in a row, a round stops trying (the server is
/// likely down; each further try would only wait for the timeout).
const GIVE_UP_AFTER: usize = 3;

/// Sends reminder e-mail.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    site: String,
}

impl Mailer {
    /// The configured mailer; `None` without `smtp_url` (in-app only) or
    /// when the settings do not parse (which `Settings::validate` refuses
    /// at start-up, so only a hand-built `Settings` gets here).
    pub fn from_settings(settings: &Settings) -> Option<Mailer> {
        let url = settings.smtp_url.as_deref().filter(|u| !u.trim().is_empty())?;
        let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url).ok()?;
        let from = settings.smtp_from.as_deref()?.parse::<Mailbox>().ok()?;
        Some(Mailer { transport: builder.timeout(Some(SMTP_TIMEOUT)).build(), from, site: settings.public_base() })
    }

    /// The site's address, for links in messages.
    pub fn site(&self) -> &str {
        &self.site
    }

    async fn send(&self, to: &str, mail: &Mail) -> Result<(), String> {
        let to: Mailbox = to.parse().map_err(|e| format!("address: {e}"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|e| format!("message: {e}"))?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| e.to_string())
    }

    /// Sends each `(person id, address, mail)`; answers which were accepted
    /// by the SMTP server. Failures are logged and not retried.
    pub async fn send_all(&self, batch: &[(i64, String, Mail)]) -> Vec<bool> {
        let mut sent = Vec::with_capacity(batch.len());
        let mut failures_in_a_row = 0;
        for (person, address, mail) in batch {
            if failures_in_a_row >= GIVE_UP_AFTER {
                sent.push(false);
                continue;
            }
            match self.send(address, mail).await {
                Ok(()) => {
                    failures_in_a_row = 0;
                    sent.push(true);
                }
                Err(error) => {
                    failures_in_a_row += 1;
                    tracing::warn!(person, %error, "reminder e-mail not sent");
                    sent.push(false);
                }
            }
        }
        if failures_in_a_row >= GIVE_UP_AFTER {
            let not_sent = sent.iter().filter(|s| !**s).count();
            tracing::warn!(not_sent, "gave up sending reminder e-mail after repeated failures");
        }
        sent
    }
}
