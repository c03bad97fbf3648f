"""A language model's second opinion on a reply the rules doubt, through the real client
against the local stand-in: kept beside the rules' class, never replacing it; an opt-out
the model reads holds contact; an opt-out the rules see is never put to the model."""

import json

import pytest

from assets.inbound.store import ingest_mailbox
from tests.integration import test_inbound_store
from tests.integration.test_inbound_store import AS_OF, message
from tests.llm_server import StandInServer

pytestmark = pytest.mark.integration
# the inbound-store tests' warehouse: operational tables and one drafted message
warehouse = test_inbound_store.warehouse

# what the model answers, by the reply's words (the stand-in reads the user message)
READINGS = {
    "I really am not sure this is for me, please leave it there.": "Unsubscribe",
    "Wrong person, I left in 2019": "Not A Fit",
    "Please remove me from your list.": "Interested",  # a model wrong the other way
}


def reading(request_body: dict) -> str:
    text = request_body["messages"][1]["content"].strip()
    return READINGS.get(text, "Unknown")


@pytest.fixture
def model(monkeypatch):
    class Server(StandInServer):
        pass

    server = Server(lambda facts, n: "")
    # the second opinion's user message is the reply's text, not JSON facts: answer it here
    server.behaviour = None
    handler = server.httpd.RequestHandlerClass
    original = handler.do_POST

    def do_post(self):
        length = int(self.headers["Content-Length"])
        body = json.loads(self.rfile.read(length))
        server.requests.append(body)
        self._answer(
            200,
            {
                "id": "x",
                "object": "chat.completion",
                "created": 0,
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": reading(body)},
                        "finish_reason": "stop",
                    }
                ],
            },
        )

    handler.do_POST = do_post
    with server:
        monkeypatch.setenv("OUTREACH_LLM_BASE_URL", server.base_url)
        monkeypatch.setenv("OUTREACH_LLM_API_KEY", "k")
        monkeypatch.setenv("OUTREACH_LLM_MODEL", "stand-in-1")
        yield server
    handler.do_POST = original


def test_the_model_reads_doubtful_replies_and_never_overrules_the_rules(
    workspace,
    warehouse,
    config,
    model,
    monkeypatch,
):
    # the language model's seam on the rules alone (the meaning model is tested in
    # test_reply_meaning.py: it would name the first reply before the language model is asked)
    monkeypatch.setenv("OUTREACH_REPLY_MODEL", "0")
    opted_in = config.model_copy(
        update={"replies": config.replies.model_copy(update={"model_second_opinion": True})}
    )
    box = workspace.mailbox
    box.mkdir(parents=True, exist_ok=True)
    for n, text in enumerate(READINGS, start=1):
        (box / f"{n}.eml").write_bytes(bytes(message(n, text, f"p{n}@clinic.example")))
    new = ingest_mailbox(warehouse, workspace, opted_in, AS_OF)
    rows = {
        r["reply_text"]: r
        for r in new.select(
            "reply_text", "reply_class", "second_opinion", "stops_sequence"
        ).to_dicts()
    }
    vague, question, removal = (rows[t] for t in READINGS)
    # the rules' opt-out stands and was never put to the model
    assert removal["reply_class"] == "Unsubscribe" and removal["second_opinion"] is None
    assert all("Please remove me" not in json.dumps(r) for r in model.requests)
    # a doubtful reply the model reads as an opt-out: still the rules' class, contact held
    assert vague["reply_class"] != "Unsubscribe" and vague["second_opinion"] == "Unsubscribe"
    assert vague["stops_sequence"] is True
    # a doubtful reply the model reads otherwise: kept beside, the class unchanged
    assert question["second_opinion"] == "Not A Fit" and question["reply_class"] == "Unknown"
    # only the reply's words were sent
    for request in model.requests:
        assert [m["role"] for m in request["messages"]] == ["system", "user"]
        assert request["messages"][1]["content"].strip() in READINGS
    # without the opt-in, nobody is asked
    asked = len(model.requests)
    (box / "4.eml").write_bytes(bytes(message(4, "Let me think.", "q@x.example")))
    ingest_mailbox(warehouse, workspace, config, AS_OF)
    assert len(model.requests) == asked
