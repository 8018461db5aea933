"""SMS senders. A deployment names its provider's adapter in the SMS_SENDER setting; each
adapter has one method, `send(phone, text) -> provider message id`, and raises on failure."""

import logging
import uuid
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsSender(Protocol):
    def send(self, phone: str, text: str) -> str:
        """Hand the text to the provider; return its message id or raise."""


class LoggingSmsSender:
    """The default where no SMS provider is contracted: writes the message to the log and
    reports success, so development and tests run the whole delivery path."""

    def send(self, phone: str, text: str) -> str:
        provider_id = f"log-{uuid.uuid4().hex[:12]}"
        logger.info("SMS to %s (%s): %s", phone, provider_id, text)
        return provider_id


def get_sms_sender() -> SmsSender:
    return import_string(settings.SMS_SENDER)()
