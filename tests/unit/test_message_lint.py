"""The Message Quality Standard: each lint rule fails the message it is about, and only that."""

import pytest

from core.config import Channel
from core.message_lint import RULES, MessageContext, lint_message

CLAIM = "We review the booking journey against a 12-point checklist."
CTA = "Would it be useful if I sent over the 12-point checklist?"
OTHER_CTA = "Would a short call next week be worth it?"
EVIDENCE = "The booking page asks for 14 fields before showing availability"
INFERENCE = "The business probably loses evening enquiries to competitors"


@pytest.fixture
def context():
    return MessageContext(
        channel=Channel.EMAIL,
        approved_claims=(CLAIM,),
        ctas=(CTA, OTHER_CTA),
        safe_evidence=(EVIDENCE,),
        unsafe_evidence=(INFERENCE,),
    )


def body(config, middle: str = "", cta: str = CTA, opt_out: bool = True) -> str:
    text = (
        f"Hi Ann,\n\nI noticed: {EVIDENCE.lower()}.\n\n{CLAIM} {middle}\n\n{cta}\n\nAlex "
        f"Morgan\nMWMS Growth"
    )
    return text + (f"\n\n{config.messaging.opt_out_line}" if opt_out else "")


def test_a_clean_email_passes_every_rule(config, context):
    result = lint_message("A thought on your booking page", body(config), context, config.messaging)
    assert result.passed, result.failures
    assert all(result.columns()[f"lint_{rule}"] for rule in RULES)


@pytest.mark.parametrize(
    ("rule", "make"),
    [
        ("one_cta", lambda c: body(c, cta=f"{CTA} {OTHER_CTA}")),
        ("one_cta", lambda c: body(c, cta="")),
        ("one_cta", lambda c: body(c, middle="Are you free on Monday?")),
        ("approved_claims_only", lambda c: body(c, middle="Clients saw 40% fewer drop-offs.")),
        ("no_unsupported_roi", lambda c: body(c, middle="We guarantee more bookings.")),
        ("no_fake_urgency", lambda c: body(c, middle="Act now, this is a limited time offer.")),
        ("no_fake_flattery", lambda c: body(c, middle="I am a huge fan of your clinic.")),
        ("no_pressure", lambda c: body(c, middle="You need to fix this.")),
        (
            "no_creepy_personal",
            lambda c: body(c, middle="I hope your family is well after the bereavement."),
        ),
        ("no_unsafe_evidence", lambda c: body(c, middle=INFERENCE + ".")),
        ("no_unapproved_commitment", lambda c: body(c, middle="The diagnostic is £450.")),
        ("no_unapproved_commitment", lambda c: body(c, middle="I can do 20% off for you.")),
        ("no_unapproved_commitment", lambda c: body(c, middle="There is no lock-in.")),
        ("no_unapproved_commitment", lambda c: body(c, middle="It is a 12-month contract.")),
        ("no_unapproved_commitment", lambda c: body(c, middle="We can waive the setup fee.")),
        (
            "no_unapproved_commitment",
            lambda c: body(c, middle="We will deliver the full rebuild within a week."),
        ),
        ("length", lambda c: body(c, middle="word " * 300)),
        ("opt_out_present", lambda c: body(c, opt_out=False)),
    ],
)
def test_each_rule_fails_its_own_breach(config, context, rule, make):
    result = lint_message("A thought", make(config), context, config.messaging)
    assert not result.passed
    assert not result.columns()[f"lint_{rule}"], result.failures
    assert any(f.startswith(f"{rule}:") for f in result.failures)


def test_the_same_text_is_not_reused_by_a_later_step(config, context):
    text = body(config)
    later = MessageContext(**{**context.__dict__, "earlier_bodies": (text,)})
    result = lint_message("Again", text, later, config.messaging)
    assert result.failures == ("not_reused: the same text was used for an earlier step",)


def test_a_fresh_copy_of_a_stale_observation_is_not_a_leak(config):
    context = MessageContext(
        channel=Channel.EMAIL,
        approved_claims=(CLAIM,),
        ctas=(CTA,),
        safe_evidence=(EVIDENCE,),
        unsafe_evidence=(EVIDENCE,),  # the same words, once stale
    )
    assert lint_message("A thought", body(config), context, config.messaging).passed


def test_linkedin_needs_no_opt_out_but_has_a_short_limit(config, context):
    linkedin = MessageContext(**{**context.__dict__, "channel": Channel.LINKEDIN})
    short = f"Hi Ann, I noticed {EVIDENCE.lower()}. {CTA}"
    assert lint_message(None, short, linkedin, config.messaging).passed
    long = short + " More." * 60
    assert not lint_message(None, long, linkedin, config.messaging).columns()["lint_length"]


def test_the_first_message_from_a_third_party_source_carries_its_notice(config, context):
    """Art. 14: drafting adds the source's notice to a first message only; a message
    (or a reviewer's edit) that must carry it and does not fails `privacy_notice`."""
    from dataclasses import replace

    from assets.drafting.drafts import notice_for
    from assets.drafting.message import compose

    sources = {s.source_id: s for s in config.sources}
    directory, form = sources["trade_directory"], sources["web_form"]
    assert directory.is_third_party and not form.is_third_party
    assert notice_for(directory, was_contacted=False) is directory
    assert notice_for(directory, was_contacted=True) is None
    assert notice_for(form, was_contacted=False) is None
    campaign = config.campaigns[0]
    text = body(config, opt_out=False).rsplit("\n\nAlex Morgan", 1)[0]
    with_notice = compose(campaign, Channel.EMAIL, text, config, directory.notice)
    assert directory.notice in with_notice and with_notice.endswith(config.messaging.opt_out_line)
    required = replace(context, required_notice=directory.notice)
    assert lint_message("A thought", with_notice, required, config.messaging).passed
    dropped = with_notice.replace(directory.notice, "")
    result = lint_message("A thought", dropped, required, config.messaging)
    assert [f.split(":")[0] for f in result.failures] == ["privacy_notice"]
    assert directory.notice_version == notice_for(directory, False).notice_version
    assert len(directory.notice_version) == 12


def test_a_question_mark_in_the_configured_opt_out_line_is_not_a_second_cta(config, context):
    messaging = config.messaging.model_copy(
        update={"opt_out_line": "Not the right person? Reply stop and I will not write again."}
    )
    text = body(config, opt_out=False) + f"\n\n{messaging.opt_out_line}"
    result = lint_message("A thought on your booking page", text, context, messaging)
    assert result.passed, result.failures
    # a question of the writer's own is still one too many
    extra = body(config, middle="Are you free on Monday?", opt_out=False)
    result = lint_message("A thought", extra + f"\n\n{messaging.opt_out_line}", context, messaging)
    assert not result.passed_rules["one_cta"]


def test_terms_from_the_offer_or_the_proposal_record_are_not_a_made_up_commitment(config):
    """A price the proposal record holds may be cited; another price may not."""
    record = "The diagnostic is £450, delivered within 10 working days."
    context = MessageContext(
        channel=Channel.EMAIL,
        approved_claims=(CLAIM,),
        ctas=(CTA,),
        safe_evidence=(EVIDENCE,),
        approved_terms=(record,),
    )
    cited = lint_message("Your proposal", body(config, middle=record), context, config.messaging)
    assert cited.passed, cited.failures
    changed = body(config, middle="The diagnostic is £400, delivered within 10 working days.")
    result = lint_message("Your proposal", changed, context, config.messaging)
    assert result.failures == (
        "no_unapproved_commitment: a commercial commitment not in the approved offer: '£400'",
    )
