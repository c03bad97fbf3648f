"""A local stand-in for an OpenAI-compatible chat completions server, on loopback.

It answers POST /v1/chat/completions as the real API does (the official `openai` SDK is
the client), reading the facts drafting sends (the JSON user message) and writing a draft
from them: a clean one in one of several styles a model writes in, or a hostile one with
one planted defect. `behaviour(facts, request_number)` decides per request: a text, or an
HTTP status to fail with, or "hang" (no answer before the client's timeout). Every request
is kept in `requests`, to assert what left the workspace."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Behaviour = Callable[[dict, int], "str | int"]


def _evidence(facts: dict) -> str:
    text = (facts.get("evidence") or {}).get("text") or ""
    return text[:1].lower() + text[1:] if text else ""


def _claim(facts: dict) -> str:
    return f" {facts['claim']}" if facts.get("claim") else ""


# drafts as a model writes them from the facts: varied openings and joins, every sentence
# resting on the evidence, the claim, the CTA, the recipient or plain connectives
CLEAN_STYLES: tuple[Callable[[dict], str], ...] = (
    lambda f: f"Hi {f['first_name']},\n\nI noticed that {_evidence(f)}.{_claim(f)}\n\n{f['cta']}",
    lambda f: (
        f"Hi {f['first_name']},\n\nI was looking at the {f['company_name']} website and saw "
        f"that {_evidence(f)}.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hello {f['first_name']},\n\nA quick note about {f['company_name']}: "
        f"{_evidence(f)}.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hi {f['first_name']},\n\nI came across {f['company_name']} and noticed this: "
        f"{_evidence(f)}. I thought it might be worth sharing an idea.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hi {f['first_name']},\n\nI hope you are well. {_evidence(f).capitalize()}, "
        f"which is why I wanted to reach out.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Dear {f['first_name']},\n\nI was reading about {f['company_name']} and noticed "
        f"that {_evidence(f)}.{_claim(f)}\n\nThanks for reading. {f['cta']}"
    ),
)

# one planted defect each; the rest of the draft is clean
DEFECTS: dict[str, Callable[[dict], str]] = {
    "invented statistic": lambda f: "Businesses like yours see 37% more bookings.",
    "invented statistic in words": lambda f: "Most clinics we work with double their bookings.",
    "guarantee": lambda f: "We guarantee you will see results within weeks.",
    "false scarcity": lambda f: "We only have two diagnostic slots left this month.",
    "competitor name": lambda f: "Unlike Calendly, we look at the whole journey.",
    "unapproved claim": lambda f: "Our clients cut no-shows in half.",
    "invented event": lambda f: f"Congratulations on the {f['company_name']} award last week.",
    "invented person": lambda f: "Jordan on your team told me about it.",
    "comparison": lambda f: "Your booking page is slower than most in your area.",
    "price": lambda f: "The diagnostic is free for the first ten businesses.",
}


def clean_draft(facts: dict, style: int) -> str:
    return CLEAN_STYLES[style % len(CLEAN_STYLES)](facts)


def hostile_draft(facts: dict, defect: str) -> str:
    """A clean draft with one defect planted before the CTA; "wrong first name" greets
    someone else."""
    draft = clean_draft(facts, 0)
    if defect == "wrong first name":
        other = "Sarah" if facts["first_name"] != "Sarah" else "Tom"
        return draft.replace(f"Hi {facts['first_name']},", f"Hi {other},", 1)
    head, cta = draft.rsplit("\n\n", 1)
    return f"{head} {DEFECTS[defect](facts)}\n\n{cta}"


HOSTILE_KINDS = (*DEFECTS, "wrong first name")


class StandInServer:
    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with server.lock:
                    server.requests.append(
                        {"path": self.path, "auth": self.headers.get("Authorization"), **body}
                    )
                    number = len(server.requests)
                if not self.path.endswith("/chat/completions"):
                    self._answer(404, {"error": {"message": "not found"}})
                    return
                user = next(m for m in body["messages"] if m["role"] == "user")
                outcome = server.behaviour(json.loads(user["content"]), number)
                if outcome == "hang":
                    time.sleep(5)
                    return
                if isinstance(outcome, int):
                    self._answer(outcome, {"error": {"message": f"stand-in {outcome}"}})
                    return
                self._answer(
                    200,
                    {
                        "id": f"chatcmpl-{number}",
                        "object": "chat.completion",
                        "created": 1_764_000_000,
                        "model": body["model"],
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": outcome},
                                "finish_reason": "stop",
                            }
                        ],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    },
                )

            def _answer(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if status == 429:
                    self.send_header("Retry-After", "0")
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> StandInServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
