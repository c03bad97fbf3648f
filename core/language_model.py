"""The language model, as drafting and reply reading reach it: any server speaking the
OpenAI chat completions API (hosted or self-hosted), through the official `openai` SDK.

Configured from the environment only (a secret never lives in config files):
OUTREACH_LLM_BASE_URL, OUTREACH_LLM_API_KEY and OUTREACH_LLM_MODEL, all three or none;
optionally OUTREACH_LLM_TIMEOUT_SECONDS (30) and OUTREACH_LLM_MAX_RETRIES (2: the SDK's
bounded retries of timeouts, 408, 409, 429 and 5xx, with back-off)."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

log = logging.getLogger(__name__)

PROVIDER = "openai-compatible"
ENV = ("OUTREACH_LLM_BASE_URL", "OUTREACH_LLM_API_KEY", "OUTREACH_LLM_MODEL")


@dataclass(frozen=True)
class ModelSettings:
    base_url: str
    api_key: str = field(repr=False)
    model: str
    timeout_seconds: float = 30.0
    # the SDK's own bounded retries (timeouts, 408, 409, 429 and 5xx, with back-off)
    max_retries: int = 2

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ModelSettings | None:
        """The settings when all three variables are set; None (templates) otherwise."""
        env = os.environ if environ is None else environ
        values = [env.get(name, "").strip() for name in ENV]
        if not all(values):
            if any(values):
                missing = [name for name, v in zip(ENV, values, strict=True) if not v]
                log.warning("language-model drafting is off: %s not set", ", ".join(missing))
            return None
        return cls(
            base_url=values[0],
            api_key=values[1],
            model=values[2],
            timeout_seconds=float(env.get("OUTREACH_LLM_TIMEOUT_SECONDS") or 30),
            max_retries=int(env.get("OUTREACH_LLM_MAX_RETRIES") or 2),
        )


class ChatClient(Protocol):
    """What drafting needs of a model: the text of one chat completion."""

    provider: str
    model: str

    def complete(self, messages: list[dict[str, str]]) -> str: ...


class OpenAICompatibleClient:
    """The real client: any server speaking the OpenAI chat completions API."""

    provider = PROVIDER

    def __init__(self, settings: ModelSettings) -> None:
        from openai import OpenAI  # the SDK loads only when a model is set

        self.model = settings.model
        self._client = OpenAI(
            base_url=settings.base_url,
            api_key=settings.api_key,
            timeout=settings.timeout_seconds,
            max_retries=settings.max_retries,
        )

    def complete(self, messages: list[dict[str, str]]) -> str:
        response = self._client.chat.completions.create(
            model=self.model, messages=messages, temperature=0.3
        )
        return response.choices[0].message.content or ""


def client_from_env(environ: Mapping[str, str] | None = None) -> OpenAICompatibleClient | None:
    settings = ModelSettings.from_env(environ)
    return OpenAICompatibleClient(settings) if settings else None
