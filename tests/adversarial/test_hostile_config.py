"""Configuration files with every kind of mistake fail fast, naming the file and the key."""

from pathlib import Path

import pytest
import yaml

from core.config import ConfigError, load_config
from demo.generator import EXAMPLE_CONFIG


def folder_with(tmp_path: Path, name: str, text: str | bytes | None) -> Path:
    folder = tmp_path / "config"
    folder.mkdir()
    for path in EXAMPLE_CONFIG.glob("*.yml"):
        (folder / path.name).write_bytes(path.read_bytes())
    target = folder / name
    if text is None:
        target.unlink()
    elif isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text)
    return folder


def edited(name: str, change) -> str:
    data = yaml.safe_load((EXAMPLE_CONFIG / name).read_text())
    change(data)
    return yaml.safe_dump(data)


MISTAKES = [
    ("campaigns.yml", None, "campaigns.yml: file is missing"),
    ("offers.yml", "", "offers.yml: expected a mapping with the top-level key 'offers:'"),
    ("sources.yml", "sources:\n  - source_id: [unclosed\n", "sources.yml: not valid YAML at line"),
    ("sources.yml", "sources:\n\t- x: 1\n", "sources.yml: not valid YAML"),
    ("scoring.yml", "- just\n- a list\n", "scoring.yml: expected a mapping"),
    ("channels.yml", b"channels: \xff\xfe\n", "channels.yml: not UTF-8"),
    ("evidence.yml", "evidence: {max_age_days: ten}\n", "evidence.yml: evidence.max_age_days"),
    (
        "messaging.yml",
        edited(
            "messaging.yml", lambda d: d["messaging"]["banned_patterns"].update(bad=["(unclosed"])
        ),
        "banned_patterns.bad[0]: not a regular expression",
    ),
    (
        "messaging.yml",
        edited("messaging.yml", lambda d: d["messaging"]["max_body_chars"].pop("sms")),
        "no limit for channel(s) ['sms']",
    ),
    (
        "sequences.yml",
        edited(
            "sequences.yml", lambda d: d["sequences"][0]["steps"][0].update(body="Hi {{ first_name")
        ),
        "step 1 body: not a valid template",
    ),
    (
        "sequences.yml",
        edited(
            "sequences.yml", lambda d: d["sequences"][0]["steps"][0].update(cta_id="no_such_cta")
        ),
        "cta_id 'no_such_cta' is not a CTA of offer",
    ),
    (
        "sequences.yml",
        edited("sequences.yml", lambda d: d["sequences"][0]["steps"][1].pop("subject")),
        "email steps need a subject",
    ),
    (
        "campaigns.yml",
        edited("campaigns.yml", lambda d: d["campaigns"][0].update(daily_cap=-5)),
        "campaigns.yml: campaigns[0].daily_cap",
    ),
    (
        "campaigns.yml",
        edited(
            "campaigns.yml", lambda d: d["campaigns"][0]["sender"].update(email="not-an-address")
        ),
        "campaigns[0].sender.email",
    ),
    (
        "campaigns.yml",
        edited("campaigns.yml", lambda d: d["campaigns"][0].update(audience_sources=["nobody"])),
        "audience_sources: unknown source(s) ['nobody']",
    ),
    (
        "campaigns.yml",
        edited(
            "campaigns.yml",
            lambda d: d["campaigns"][0]["send_window"].update(start_hour=18, end_hour=9),
        ),
        "end_hour 9 must be after start_hour 18",
    ),
    (
        "sources.yml",
        edited("sources.yml", lambda d: d["sources"][0].update(jurisdiction="Britain")),
        "sources.yml: sources[0].jurisdiction",
    ),
    (
        "offers.yml",
        edited("offers.yml", lambda d: d["offers"][0].update(approved_claims=[])),
        "offers.yml: offers[0].approved_claims",
    ),
]


@pytest.mark.parametrize(
    ("name", "text", "expected"), MISTAKES, ids=[f"{n}:{e[:30]}" for n, _, e in MISTAKES]
)
def test_each_config_mistake_is_named(tmp_path, name, text, expected):
    folder = folder_with(tmp_path, name, text)
    with pytest.raises(ConfigError) as caught:
        load_config(folder)
    assert expected in str(caught.value), str(caught.value)
