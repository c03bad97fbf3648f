from pathlib import Path

import pytest
import yaml

from core.config import ConfigError, load_config
from demo.generator import EXAMPLE_CONFIG


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "config"
    folder.mkdir()
    for path in EXAMPLE_CONFIG.glob("*.yml"):
        (folder / path.name).write_text(path.read_text())
    return folder


def _edit(folder: Path, name: str, change) -> None:
    data = yaml.safe_load((folder / name).read_text())
    change(data)
    (folder / name).write_text(yaml.safe_dump(data))


def test_example_config_is_valid_and_versioned(tmp_path):
    config = load_config(EXAMPLE_CONFIG)
    assert {s.source_id for s in config.sources} >= {"web_form", "crm_export", "research_pool"}
    assert len(config.version) == 16
    folder = _copy(tmp_path)
    _edit(folder, "offers.yml", lambda d: d["offers"][0].update(problem="Changed"))
    assert load_config(folder).version != config.version


@pytest.mark.parametrize(
    ("file", "change", "expected"),
    [
        (
            "campaigns.yml",
            lambda d: d["campaigns"][0].update(send_authority="Send Everything"),
            "campaigns.yml: campaigns[0].send_authority",
        ),
        (
            "campaigns.yml",
            lambda d: d["campaigns"][1].update(offer_id="no_such_offer"),
            "campaigns[1] (diag_us_email_draft).offer_id: unknown offer 'no_such_offer'",
        ),
        (
            "sources.yml",
            lambda d: d["sources"][0].pop("permission_type"),
            "sources.yml: sources[0].permission_type: Field required",
        ),
        (
            "sources.yml",
            lambda d: d["sources"].append(dict(d["sources"][0])),
            "sources: duplicate source_id ['web_form']",
        ),
        (
            "sequences.yml",
            lambda d: d["sequences"][0]["steps"][3].update(message_type="Value Add Follow-Up"),
            "the last step must be a Closeout",
        ),
        (
            "scoring.yml",
            lambda d: d["scoring"].update(priority_two_min=99),
            "thresholds must descend",
        ),
        (
            "evidence.yml",
            lambda d: d["evidence"]["categories"][0].update(max_age_days=0),
            "evidence.yml: evidence.categories[0].max_age_days: Input should be greater than or "
            "equal to 1",
        ),
        (
            "campaigns.yml",
            lambda d: d["campaigns"][0].update(surprise=1),
            "campaigns.yml: campaigns[0].surprise: Extra inputs are not permitted",
        ),
        (
            "replies.yml",
            lambda d: d["replies"]["classes"].update({"Out Of Office": {"owner": "x"}}),
            "replies.yml: replies: Value error, classes: ['Out Of Office'] is not a reply "
            "class that makes a task",
        ),
        (
            "campaigns.yml",
            lambda d: d["campaigns"][0].update(reactivation={"closed_lost_after_days": 90}),
            "campaigns[0] (diag_uk_email_pilot).reactivation: its sequence diagnostic_email_4 "
            "must open with a Reactivation message",
        ),
        (
            "campaigns.yml",
            lambda d: d["campaigns"][0].update(drafting="robot"),
            "campaigns.yml: campaigns[0].drafting: Input should be 'model' or 'template'",
        ),
        (
            "replies.yml",
            lambda d: d["replies"]["classes"]["Interested"].update(respond_within_hours=0),
            "replies.yml: replies.classes.Interested.respond_within_hours: Input should be "
            "greater than or equal to 1",
        ),
    ],
)
def test_bad_config_names_file_key_and_problem(tmp_path, file, change, expected):
    folder = _copy(tmp_path)
    _edit(folder, file, change)
    with pytest.raises(ConfigError) as caught:
        load_config(folder)
    assert expected in str(caught.value)


def test_replies_yml_is_optional_and_its_defaults_are_the_reply_action_map(tmp_path):
    from assets.ingestion.config_tables import reply_routing

    folder = _copy(tmp_path)
    (folder / "replies.yml").unlink()
    routing = {r["reply_class"]: r for r in reply_routing(load_config(folder)).to_dicts()}
    assert "Out Of Office" not in routing and "Bounce" not in routing
    assert routing["Interested"]["owner"] == "campaign owner"
    assert routing["Referral"]["owner"] == "reviewer"  # the seed's routes_to
    assert routing["Interested"]["respond_within_hours"] == 4
    assert routing["Complaint"]["owner"] == "compliance"


def test_missing_and_unparseable_files_are_named(tmp_path):
    folder = _copy(tmp_path)
    (folder / "channels.yml").unlink()
    with pytest.raises(ConfigError, match=r"channels\.yml: file is missing"):
        load_config(folder)
    (folder / "channels.yml").write_text("channels: [unclosed\n")
    with pytest.raises(ConfigError, match=r"channels\.yml: not valid YAML at line"):
        load_config(folder)
    (folder / "channels.yml").write_text("other: 1\n")
    with pytest.raises(ConfigError, match=r"top-level key 'channels:'"):
        load_config(folder)


def test_every_missing_file_and_every_broken_file_is_reported_in_one_pass(tmp_path):
    """A new user learns everything that is wrong at once, not one error per try."""
    import shutil

    from demo.generator import EXAMPLE_CONFIG

    for path in EXAMPLE_CONFIG.glob("*.yml"):
        shutil.copyfile(path, tmp_path / path.name)
    (tmp_path / "channels.yml").unlink()
    (tmp_path / "offers.yml").unlink()
    (tmp_path / "scoring.yml").write_text("scoring: [unclosed\n")
    (tmp_path / "messaging.yml").write_text("messaging: {opt_out_line: x}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    said = str(caught.value)
    assert "channels.yml: file is missing" in said and "offers.yml: file is missing" in said
    assert "scoring.yml: not valid YAML" in said
    assert "messaging.yml: messaging" in said
    assert len(said.splitlines()) >= 4
