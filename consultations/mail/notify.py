"""GOV.UK Notify as a second transport (WORKBENCH_MAIL_TRANSPORT=notify), for partnerships whose
council or department sends its email through Notify.

Notify sends from its own template: the workbench's is one email template whose subject is
``((subject))`` and whose body is ``((body))``, and it gets the plain-text part (Notify makes
its own HTML). Notify does not attach files to a template like this, so a receipt sent through
it carries no copy: the receipt says where to download it in the workbench. Replies go to the
reply-to address set in the Notify service.
"""

from __future__ import annotations

from consultations.mail.config import MailConfig
from consultations.mail.outbox import Outgoing
from consultations.mail.transport import MailError


class NotifyTransport:
    """Deliver each message as one call to Notify's API."""

    def __init__(self, config: MailConfig) -> None:
        from notifications_python_client.notifications import NotificationsAPIClient

        self._config = config
        self._client = NotificationsAPIClient(
            config.notify_api_key, base_url=config.notify_base_url, timeout=config.smtp_timeout
        )

    def deliver(self, outgoing: Outgoing) -> None:
        """Ask Notify to send the message; raise MailError when it would not."""
        from notifications_python_client.errors import HTTPError

        try:
            self._client.send_email_notification(
                email_address=outgoing.to.address,
                template_id=self._config.notify_template_id,
                personalisation={"subject": outgoing.subject, "body": outgoing.text},
                reference=outgoing.message_id.strip("<>"),
            )
        except HTTPError as exc:
            raise _refusal(exc.status_code, exc.message) from exc

    def close(self) -> None:
        """Nothing to close: each message is one request."""


def _refusal(status: int, message: object) -> MailError:
    said = "; ".join(
        str(item.get("message", item)) if isinstance(item, dict) else str(item)
        for item in (message if isinstance(message, list) else [message])
    )
    if status in (401, 403):
        return MailError(
            f"GOV.UK Notify did not accept the API key ({status}: {said}). Check "
            "WORKBENCH_NOTIFY_API_KEY.",
            stop=True,
        )
    if status == 429 or status >= 500:
        return MailError(
            f"GOV.UK Notify could not take the message now ({status}: {said}). It will be "
            "tried again later.",
            stop=True,
        )
    return MailError(
        f"GOV.UK Notify refused the message ({status}: {said}). It will not be tried again: "
        "check the address and the template, then send it again from the Outbox.",
        permanent=True,
    )
