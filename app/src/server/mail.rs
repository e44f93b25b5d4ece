//! Alert emails: composing them (`compose`) and handing them to an SMTP server with lettre over
//! rustls.

pub mod compose;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::Error as SmtpError;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

pub use compose::{Email, Facts, compose};

/// Why the SMTP settings were refused, worded for an operator.
#[derive(Debug, thiserror::Error)]
pub enum MailConfigError {
    #[error(
        "the SMTP URL does not read: {0} (use smtp://[user:password@]host[:port] or smtps://…)"
    )]
    Url(String),
    #[error("the sender address `{0}` does not read: {1}")]
    From(String, String),
    #[error("the SMTP server's CA certificate does not read: {0}")]
    Ca(String),
}

/// Why one email was not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendFailure {
    /// Worth trying again: the server was unreachable or answered 4xx.
    Temporary(String),
    /// The server refused it for good (5xx): its answer.
    Permanent(String),
}

/// The SMTP server and the sender.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The domain of Message-IDs.
    domain: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The transport holds the password.
        f.debug_struct("Mailer")
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// A mailer for `url`: `smtp://host[:port]` upgrades with STARTTLS when the server offers
    /// it (`?tls=required` insists), `smtps://` speaks TLS from the start; a user and password
    /// in the URL sign in. Emails come from `from`. The server's certificate must chain to a
    /// public root, or to `ca` (PEM) for a relay with a private CA.
    pub fn new(url: &str, from: &str, ca: Option<&[u8]>) -> Result<Self, MailConfigError> {
        let url = if url.starts_with("smtp://") && !url.contains("tls=") {
            let join = if url.contains('?') { '&' } else { '?' };
            format!("{url}{join}tls=opportunistic")
        } else {
            url.to_string()
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url)
            .map_err(|e| MailConfigError::Url(e.to_string()))?
            .timeout(Some(std::time::Duration::from_secs(30)));
        if let Some(pem) = ca {
            builder = builder.tls(with_ca(&url, pem)?);
        }
        let transport = builder.build();
        let from: Mailbox = from.parse().map_err(|e: lettre::address::AddressError| {
            MailConfigError::From(from.to_string(), e.to_string())
        })?;
        let domain = from.email.domain().to_string();
        Ok(Self {
            transport,
            from,
            domain,
        })
    }

    /// The Message-ID of outbox row `outbox_id` queued at `created_at`: the same at every
    /// attempt, so a resend after a crash is recognisable as the same email.
    pub fn message_id(&self, outbox_id: i64, created_at: i64) -> String {
        format!("<alert-{outbox_id}.{created_at}@{}>", self.domain)
    }

    /// Sends `email` to `to` with `message_id`.
    pub async fn send(&self, email: &Email, to: &str, message_id: &str) -> Result<(), SendFailure> {
        let to: Mailbox = to.parse().map_err(|e: lettre::address::AddressError| {
            SendFailure::Permanent(format!("the address `{to}` does not read: {e}"))
        })?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&email.subject)
            .message_id(Some(message_id.to_string()))
            .multipart(MultiPart::alternative_plain_html(
                email.text.clone(),
                email.html.clone(),
            ))
            .map_err(|e| SendFailure::Permanent(format!("the email does not build: {e}")))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| classify(&e))
    }
}

/// The TLS mode `url` asks for, trusting `pem` besides the public roots.
fn with_ca(url: &str, pem: &[u8]) -> Result<Tls, MailConfigError> {
    let uri: http::Uri = url
        .parse()
        .map_err(|e: http::uri::InvalidUri| MailConfigError::Url(e.to_string()))?;
    let host = uri
        .host()
        .ok_or_else(|| MailConfigError::Url("no host".into()))?
        .to_string();
    let ca = Certificate::from_pem(pem).map_err(|e| MailConfigError::Ca(e.to_string()))?;
    let params = TlsParameters::builder(host)
        .add_root_certificate(ca)
        .build_rustls()
        .map_err(|e| MailConfigError::Ca(e.to_string()))?;
    Ok(if uri.scheme_str() == Some("smtps") {
        Tls::Wrapper(params)
    } else if url.contains("tls=required") {
        Tls::Required(params)
    } else {
        Tls::Opportunistic(params)
    })
}

/// A 5xx answer is final; anything else (4xx, no connection, a timeout) may pass later.
fn classify(error: &SmtpError) -> SendFailure {
    let text = error.to_string();
    if error.is_permanent() {
        SendFailure::Permanent(text)
    } else {
        SendFailure::Temporary(text)
    }
}
