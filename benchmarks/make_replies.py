"""Writes benchmarks/data/replies.jsonl: a labelled set of replies to our own first-touch
email, written by hand for this project, each with the quoted original under it in the
style of a common mail client (Gmail, Outlook, Apple Mail, plain). Deterministic.

    python -m benchmarks.make_replies"""

import json
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data" / "replies.jsonl"
ORIGINAL_ID = "<cm_0a1b2c3d4e5f60718293@mwms.example>"
ORIGINAL = """Hi Sam,

I was looking at how people book with Harbour Physio Clinic. One thing I noticed: the booking page asks for 14 fields before showing availability.

We help owner-led businesses make booking easier. We review the booking journey against a 12-point checklist.

Would it be useful if I sent over the 12-point checklist?

Alex Morgan
MWMS Growth
1 Harbour Street, Bristol BS1 4XX, United Kingdom

If you would rather not hear from us again, reply "stop" and we will not contact you."""

REPLIES: dict[str, list[str]] = {
    "Interested": [
        "Yes please, send it over.",
        "Sounds useful - please send the checklist.",
        "Sure, go ahead and send it.",
        "Hi Alex, yes that would be helpful. We've had a few people mention the form is long.",
        "I'm interested. Send it through when you can.",
        "Great timing actually, we were just talking about this. Please share.",
        "Yes, I'd love to see it.",
        "OK, happy to take a look.",
        "Thanks Alex - sounds good. Send the checklist and let's see.",
        "Yep, happy to have a look at that.",
        "That would be great, thank you.",
        "Absolutely, please send it across.",
        "Let's do it. Send me the checklist and we can talk after.",
        "Looks interesting. Happy to chat next week.",
        "Go ahead.",
        "Yes - what time works for a quick call?",
    ],
    "Question": [
        "How much does the diagnostic cost?",
        "What does the checklist cover exactly?",
        "Who are you working with at the moment? Any clinics like ours?",
        "How long would the diagnostic take on our side?",
        "Can you explain what you'd change on the booking page?",
        "What's included in the 30-minute diagnostic?",
        "Is there a fee for the checklist or is it free?",
        "Which booking systems do you usually work with?",
        "Could you tell me a bit more about MWMS first?",
        "How does this work with Cliniko? That's what we use.",
        "What would you need from us to run the diagnostic?",
        "Do you have any examples of pages you've improved?",
        "Can you send a sample of the findings so I know what to expect?",
        "Is the checklist a PDF or a call?",
        "What happens after the diagnostic?",
    ],
    "Objection": [
        "We tried something similar last year and it didn't work for us.",
        "Honestly this sounds like a sales pitch.",
        "Budget is tight this year so I doubt we'd spend on this.",
        "How is this different from what our web agency already does?",
        "Our booking page is fine, patients manage it without complaint.",
        "Not convinced the number of fields matters that much for us.",
        "It all sounds a bit expensive for a small clinic like ours.",
        "What's the catch? Nobody gives things away for free.",
        "I'm sceptical - we get these emails every week.",
        "Our website is working well, I'm not sure this would help.",
        "We have no budget for consultants at the moment.",
        "Feels like a gimmick to get a meeting, to be honest.",
        "We've been burned by consultants before, not convinced.",
    ],
    "Not Now": [
        "Not right now, maybe in the new year.",
        "Too busy at the moment - try me again in March.",
        "Timing isn't great, we're in our busy season. Get back to me after Christmas.",
        "Can you come back to us next quarter?",
        "Not at the moment, we're mid-rebuild of the website. Ask me again in a few months.",
        "Interesting but not now. Check back in two months.",
        "We're really busy until the spring. Could you follow up in April?",
        "Maybe later in the year, we have other priorities now.",
        "Not the right time for us. Please revisit on 15 January.",
        "Let's reconnect next year when the new site is live.",
        "Could you circle back in 6 weeks? We're moving premises.",
        "Not right now thanks, perhaps after the summer.",
        "Good idea but the timing is not right. Try again next month.",
        "Ask me again after Easter.",
    ],
    "Not A Fit": [
        "We don't take bookings online, everything is by phone.",
        "Not relevant for us, we're a franchise and head office runs the website.",
        "No thanks, we already have an agency that handles this.",
        "We're closing the clinic at the end of the year so there's no need.",
        "This doesn't apply to us, we only see NHS referrals.",
        "Not a fit for us I'm afraid.",
        "No thank you, we're happy with how it works.",
        "We don't need this, our bookings are full for months.",
        "Not for us, we've just signed a three-year contract with our booking provider.",
        "No thanks.",
        "We sold the business last month, so it's not relevant any more.",
        "Not something we need right now or later, thanks.",
        "We're a chain and the website is run centrally, so not relevant for us.",
    ],
    "Referral": [
        "I'm not the right person - please speak to our practice manager, "
        "jo.smith@harbourphysio.example.",
        "Best person to talk to is Priya, she handles the website: priya@harbourphysio.example",
        "I've cc'd my colleague Dan who looks after bookings.",
        "Please contact my business partner instead: mark@harbourphysio.example",
        "Forwarding this to our operations manager, she'll get back to you.",
        "You'd be better off speaking with our office manager, Kate (kate@harbourphysio.example).",
        "The right contact would be our marketing lead, tom@harbourphysio.example.",
        "I've passed your note to Sarah who manages our online bookings.",
        "Try my colleague Lucy at lucy@harbourphysio.example, she deals with this.",
        "Our co-founder handles the website, please reach out to ana@harbourphysio.example.",
        "Not me - our practice manager is responsible for that. I've copied her in.",
        "Please get in touch with our director, james@harbourphysio.example.",
        "cc'd Maria who runs reception and the diary.",
    ],
    "Booked": [
        "I've booked a slot for Thursday at 10.",
        "Booked in for next Tuesday. See you then.",
        "Just booked the diagnostic through your link - see you on Monday.",
        "Great, the call is confirmed for Wednesday at 2pm.",
        "I've accepted the invite, it's in the calendar.",
        "Meeting booked for the 3rd. Looking forward to it.",
        "Done - booked the 30 minute slot on Friday.",
        "We have booked a call for next week, see you then.",
        "Appointment confirmed for 9am on the 12th.",
        "It's in my diary for Thursday. See you Thursday.",
        "Confirmed for the 10th at 11am, see you then.",
    ],
    "Unsubscribe": [
        # tuned on, second round (opt-outs the rules missed: Unknown or Not A Fit)
        "Please do not write again.",
        "Not for us, please stop this",
        "Kindly cease all communication.",
        "Do not email this address again.",
        "Remove this address from your database please.",
        "Please don't send any more of these.",
        "We are not the right fit, and please don't follow up.",
        "Please erase my personal data.",
        "stop",
        "STOP",
        "Unsubscribe",
        "Please remove me from your list.",
        "Take me off your mailing list please.",
        "Please stop emailing me.",
        "Don't contact me again.",
        "Not interested. Remove us from your list.",
        "No more emails please.",
        "Please opt me out of any further messages.",
        "Leave me alone.",
        "I do not wish to receive these emails.",
        "Yes I saw it, but please remove me from future emails.",
        "Delete my details from your system.",
        "Bitte abmelden.",
        "Please unsubscribe info@ and me from all your lists.",
        "Remove",
        "unsubscribe me please",
    ],
    "Complaint": [
        "This is spam. How did you get my email address?",
        "I never signed up for this. I will report you to the ICO.",
        "Stop spamming us.",
        "Where did you get my details? This is a breach of GDPR.",
        "Unsolicited email. I'm reporting this as abuse.",
        "This is harassment, you've emailed three times.",
        "I did not consent to being contacted. This is unlawful under PECR.",
        "Reported as spam.",
        "I never opted in to anything from you. Complaint sent to your provider.",
        "How did you get this address? I've never heard of your company.",
        "This is the fourth unsolicited message. I'm filing a complaint.",
        "Illegal marketing email. Expect to hear from our solicitor.",
        "Why are you emailing me? I never gave you permission.",
    ],
    "Unknown": [
        "?",
        "Thanks",
        "Received.",
        "Hi",
        "ok noted",
        "See attached.",
        "Who?",
        "Let me think about it.",
        "I'll discuss with the team.",
        "Hmm.",
        "Got it.",
        "Call me.",
        "Interesting.",
    ],
}
# written after the rules were tuned on the set above, and never used to tune them:
# the honest figure is the accuracy on these
HOLDOUT: dict[str, list[str]] = {
    "Interested": [
        "Please do send it, curious what you found.",
        "Yes. Would be good to compare notes.",
        "Keen to see it - fire away.",
    ],
    "Question": [
        "Where did the 14 fields figure come from?",
        "Would this need access to our booking system?",
        "Can you clarify what the 12 points are?",
    ],
    "Objection": [
        "Our patients are older and prefer the phone, so I doubt online changes would help.",
        "We paid for a website review last year and nothing changed.",
    ],
    "Not Now": [
        "We're mid-merger, could you try again in the summer?",
        "Please follow up in January, the team is stretched until then.",
        "Not this month.",
    ],
    "Not A Fit": [
        "We don't use online booking at all.",
        "Our head office handles all of that, it's not something we decide locally.",
    ],
    "Referral": [
        "Best to email our manager Helen on helen@harbourphysio.example.",
        "I'm forwarding your message to our receptionist who runs the diary.",
    ],
    "Booked": ["Booked for Monday 2pm via your calendar link.", "See you on Friday for the call."],
    "Unsubscribe": [
        "Please take us off your list.",
        "no more emails thanks",
        "Stop sending me these.",
    ],
    "Complaint": [
        "Spam. Reported.",
        "You have no right to use my personal email for marketing. I didn't consent.",
    ],
    "Unknown": ["Thank you.", "Noted, will get back to you.", "Sam is no longer with the clinic."],
}

# A second held-out set, written after the second round of opt-out tuning; it scored 9/20
# (every miss Unknown), then was tuned on (general patterns, not its phrases): in-sample now
HOLDOUT_2: dict[str, list[str]] = {
    "Unsubscribe": [
        "Please take my name off whatever list this is.",
        "I'd appreciate it if you stopped emailing me.",
        "Not interested and please don't contact me in future.",
        "Kindly remove me, thank you.",
        "This address shouldn't be on your list. Please remove it.",
        "Enough. No more.",
        "I don't want to receive these emails.",
        "Please stop.",
    ],
    "Complaint": [
        "I have never given you permission to email me. I'll be reporting this to the ICO.",
        "This is unsolicited marketing and I did not consent to it.",
        "Stop spamming our staff.",
    ],
    "Interested": [
        "This is timely, can we set up a call on Thursday?",
        "Happy to chat, what times work for you?",
    ],
    "Not Now": [
        "Bad timing for us, try again in the new year.",
        "Please don't follow up until March.",
    ],
    "Not A Fit": [
        "We're a franchise, so decisions like this are made at head office.",
        "Thanks but this isn't something we need.",
    ],
    "Question": ["What does the diagnostic actually involve?"],
    "Objection": ["We've tried consultants before and it didn't help much."],
    "Referral": [
        "I'm not the right person, try our operations manager, Priya Shah "
        "(priya@shahphysio.example)."
    ],
}
OUT_OF_OFFICE = [
    (
        "Automatic reply: A thought on the Harbour Physio Clinic booking page",
        "I am out of the office until 3 December with limited access to email. For urgent matters "
        "please call the clinic.",
        "2026-12-03",
    ),
    (
        "Out of Office",
        "Thank you for your email. I'm on annual leave and will be back on Monday 7th December.",
        "2026-12-07",
    ),
    (
        "Auto-Reply: Away",
        "I am away from the office until 12/12/2026 and will reply on my return.",
        "2026-12-12",
    ),
    (
        "Abwesenheitsnotiz",
        "Vielen Dank für Ihre Nachricht. Ich bin bis 30. November nicht im Büro.",
        "2026-11-30",
    ),
    ("Réponse automatique : absence", "Je suis absente jusqu'au 2 décembre. Merci.", "2026-12-02"),
    ("Out of office", "I'm on parental leave. For bookings please contact reception.", None),
    (
        "Automatic reply",
        "Thanks for your message. I'm travelling until December 4 and will respond when I'm back.",
        "2026-12-04",
    ),
    (
        "On leave until 1 December",
        "I'm currently on leave, returning on 1 December 2026.",
        "2026-12-01",
    ),
    (
        "Respuesta automática: fuera de la oficina",
        "Estoy fuera de la oficina hasta el 5 de diciembre.",
        "2026-12-05",
    ),
    ("Out of Office: back 2026-12-08", "I'm out of the office. Back on 2026-12-08.", "2026-12-08"),
]
BOUNCES = [
    (
        "5.1.1",
        "550 5.1.1 <sam@harbourphysio.example>: Recipient address rejected: User unknown",
        "hard",
    ),
    ("5.2.2", "552 5.2.2 <sam@harbourphysio.example>: Mailbox full", "soft"),
    ("5.1.2", "550 5.1.2 Host unknown: harbourphysio.example", "hard"),
    ("4.4.7", "Delivery time expired after 5 days", "soft"),
    ("5.7.1", "554 5.7.1 Message rejected as spam by content filter", "soft"),
    ("5.1.1", "550 5.1.1 The email account that you tried to reach does not exist.", "hard"),
    ("4.2.2", "452 4.2.2 Mailbox over quota", "soft"),
    ("5.7.1", "550 5.7.1 Client host rejected: listed in a DNS blocklist", "soft"),
]
STYLES = ("gmail", "outlook", "apple", "plain")
WHEN = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


def quoted(style: str) -> str:
    if style == "gmail":
        return (
            "On Tue, 24 Nov 2026 at 09:30, Alex Morgan <alex.morgan@mwms.example> wrote:\n"
            + "\n".join("> " + line for line in ORIGINAL.split("\n"))
        )
    if style == "outlook":
        return (
            "________________________________\nFrom: Alex Morgan "
            "<alex.morgan@mwms.example>\nSent: Tuesday, November 24, 2026 9:30 AM\n"
            "To: Sam <sam@harbourphysio.example>\nSubject: A thought on the Harbour Physio Clinic "
            "booking page\n\n" + ORIGINAL
        )
    if style == "apple":
        return (
            "> On 24 Nov 2026, at 09:30, Alex Morgan <alex.morgan@mwms.example> wrote:\n>\n"
            + "\n".join("> " + line for line in ORIGINAL.split("\n"))
        )
    return (
        "-----Original Message-----\nFrom: Alex Morgan\nSent: 24 November 2026 09:30\nSubject: A "
        "thought\n\n" + ORIGINAL
    )


def reply_message(
    n: int,
    text: str,
    style: str,
    subject: str = "Re: A thought on the Harbour Physio Clinic booking page",
    headers: dict | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = "Sam Taylor <sam@harbourphysio.example>"
    message["To"] = "Alex Morgan <alex.morgan@mwms.example>"
    message["Subject"] = subject
    message["Date"] = format_datetime(WHEN.replace(hour=10 + n % 8))
    message["Message-ID"] = f"<reply-{n}@harbourphysio.example>"
    message["In-Reply-To"] = ORIGINAL_ID
    message["References"] = ORIGINAL_ID
    for key, value in (headers or {}).items():
        message[key] = value
    signature = (
        "\n\nSam Taylor\nHarbour Physio Clinic"
        if n % 3 == 0
        else ("\n\nSent from my iPhone" if n % 3 == 1 else "")
    )
    message.set_content(f"{text}{signature}\n\n{quoted(style)}\n")
    return bytes(message)


def bounce_message(n: int, status: str, diagnostic: str) -> bytes:
    report = EmailMessage()
    report["From"] = "Mail Delivery System <MAILER-DAEMON@mx.harbourphysio.example>"
    report["To"] = "alex.morgan@mwms.example"
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report["Date"] = format_datetime(WHEN)
    report["Message-ID"] = f"<bounce-{n}@mx.harbourphysio.example>"
    report["Auto-Submitted"] = "auto-replied"  # as many MTAs do: a bounce is still a bounce
    report.set_content("This is the mail system. Your message could not be delivered.")
    status_part = EmailMessage()
    status_part.set_content(
        f"Reporting-MTA: dns; mx.harbourphysio.example\n\nFinal-Recipient: rfc822; "
        f"sam@harbourphysio.example\n"
        f"Action: {'delayed' if status.startswith('4') else 'failed'}\nStatus: "
        f"{status}\nDiagnostic-Code: smtp; {diagnostic}\n"
    )
    report.make_mixed()
    report.attach(status_part)
    raw = bytes(report)
    # turn it into a real multipart/report with a message/delivery-status part
    raw = raw.replace(b"multipart/mixed", b'multipart/report; report-type="delivery-status"', 1)
    return raw.replace(
        b'Content-Type: text/plain; charset="utf-8"\nContent-Transfer-Encoding: '
        b"7bit\n\nReporting-MTA",
        b"Content-Type: message/delivery-status\n\nReporting-MTA",
        1,
    )


# A third held-out set, written after the second set was tuned on, and not tuned on
HOLDOUT_3: dict[str, list[str]] = {
    "Unsubscribe": [
        "Can you please remove my details, thanks.",
        "I'd rather not get these, please take me off.",
        "We have no interest. Please remove our clinic from your mailing list.",
        "Stop messaging me",
        "please no more",
        "Don't email me again.",
    ],
    "Complaint": [
        "I never opted in to this. This is a breach of PECR.",
        "Reported as spam.",
        "This is harassment, I've asked twice.",
    ],
    "Interested": [
        "Yes, that checklist would be useful, thanks.",
        "Could we do a quick call Tuesday afternoon?",
        "I'm interested, tell me more.",
    ],
    "Not Now": [
        "We're in the middle of a rebrand, ask me again after the summer.",
        "Not a priority right now.",
        "Maybe later in the year.",
    ],
    "Not A Fit": [
        "We don't take online bookings.",
        "Not relevant to us, we're closing the studio.",
    ],
    "Question": ["How long does the diagnostic take?", "Who would do the review?"],
    "Objection": [
        "Honestly our booking page works fine.",
        "It sounds expensive for a small practice.",
    ],
    "Referral": [
        "Please contact our practice manager, Lee, at lee@clinic.example.",
        "I've forwarded this to my business partner.",
    ],
    "Unknown": ["Ok.", "Received."],
}


# A fourth set, written on 2026-11-30 after the first and third were tuned on (their
# misses became rules), scored once before any change, never tuned on
HOLDOUT_4: dict[str, list[str]] = {
    "Unsubscribe": [
        "Kindly take us off whatever list this is.",
        "I do not want to hear from you again.",
        "Bitte nehmen Sie mich aus Ihrem Verteiler.",
        "Merci de ne plus m'écrire.",
        "No quiero recibir más correos, gracias.",
        "今後このようなメールは送らないでください。",
    ],
    "Complaint": [
        "I've never heard of you and I certainly didn't consent to this.",
        "Where did you get this address? I'll be reporting this to the ICO.",
        "Questo è spam.",
    ],
    "Interested": [
        "Go on then, send me the checklist.",
        "Yes please - what would the next step be?",
        "Ja, das klingt interessant. Schicken Sie mir gern mehr.",
        "ぜひ詳しく教えてください。",
    ],
    "Not Now": [
        "Can you get back to me in the new year?",
        "We're mid-renovation, try me again in spring.",
        "Pas maintenant, peut-être l'année prochaine.",
        "Ahora no, quizás más adelante.",
    ],
    "Not A Fit": [
        "We're a two-person practice, this isn't for us.",
        "No thanks, we're happy with our current setup.",
        "Kein Bedarf, danke.",
    ],
    "Question": [
        "What exactly would you need from us?",
        "How much does the full review cost?",
    ],
    "Objection": [
        "We've had three agencies promise this and none delivered.",
        "I doubt a checklist would change much for us.",
    ],
    "Referral": [
        "You'd be better off talking to our operations manager, Priya.",
        "I've passed this to our marketing lead.",
    ],
    "Unknown": ["Thanks.", "Noted."],
}


# A fifth set, written on 2026-11-30 (evening) after the fourth's misses were tuned on,
# scored once before any change, never tuned on
HOLDOUT_5: dict[str, list[str]] = {
    "Unsubscribe": [
        "Please take my name off your records.",
        "I'd rather not receive these, thanks.",
        "Bitte schreiben Sie mir nicht mehr.",
        "Je ne souhaite plus recevoir vos messages.",
        "Per favore non scrivetemi più.",
        "Graag geen e-mails meer van jullie.",
        "Not interested and please don't email again.",
    ],
    "Complaint": [
        "This is the fourth unsolicited message this week. Stop or I escalate.",
        "I have no idea how you got my details. This is a breach of GDPR.",
        "Das ist unerwünschte Werbung, ich werde mich beschweren.",
    ],
    "Interested": [
        "Happy to take a look, send it through.",
        "Could be useful, what does it involve?",
        "Oui, envoyez-moi la checklist s'il vous plaît.",
        "Sí, me interesa. ¿Cuándo podemos hablar?",
        "Sounds worth a look - when are you free?",
    ],
    "Not Now": [
        "Busy season right now, maybe in February.",
        "Not the right time, we're moving premises.",
        "Jetzt gerade nicht, vielleicht im Sommer.",
        "Try again after Easter please.",
    ],
    "Not A Fit": [
        "We don't take online bookings at all, so this won't apply.",
        "Our bookings all come by phone, not relevant to us.",
        "Nein danke, wir haben schon eine Lösung.",
    ],
    "Question": [
        "Is this a paid service?",
        "Who are you working with at the moment?",
        "Wie lange dauert das?",
    ],
    "Objection": [
        "Honestly our booking page works fine as it is.",
        "We tried something like this last year and it made no difference.",
    ],
    "Referral": [
        "Best to speak to Tom, he runs our front desk - tom@harbourphysio.example",
        "Our practice manager deals with this kind of thing.",
    ],
    "Unknown": ["Ok thanks", "👍"],
}


# A sixth set, written on 2026-12-01 before any change that day and scored once, in
# English and eight other languages (none of its phrasings were read in the rules first)
HOLDOUT_6: dict[str, list[str]] = {
    "Unsubscribe": [
        "Kindly remove this address from your mailing list.",
        "Can you stop sending me these please.",
        "Unsubscribe me.",
        "Bitte entfernen Sie mich aus Ihrem Verteiler.",
        "Merci de me retirer de votre liste de diffusion.",
        "Por favor, dejen de enviarme correos.",
        "Non voglio più ricevere queste email.",
        "Haal mij alsjeblieft van jullie lijst.",
        "Por favor, removam o meu e-mail da vossa lista.",
        "Proszę nie wysyłać mi więcej wiadomości.",
        "Sluta skicka mejl till mig, tack.",
        "今後このようなメールは送らないでください。",
    ],
    "Complaint": [
        "I never signed up for this. I'm reporting this as spam.",
        "How did you get this address? I will be contacting the ICO.",
        "Ich habe dem nie zugestimmt. Das melde ich der Datenschutzbehörde.",
        "C'est du spam, je vais le signaler.",
    ],
    "Interested": [
        "Yes, that would be handy - fire it over.",
        "Definitely, we've been meaning to look at this.",
        "Ja, schicken Sie mir die Checkliste gern zu.",
        "Volontiers, on peut en parler la semaine prochaine ?",
        "Sì, mi interessa, mandatemela pure.",
        "Ja graag, stuur maar op.",
        "Sim, tenho interesse. Pode enviar.",
        "ぜひ資料を送ってください。",
    ],
    "Not Now": [
        "We're mid-way through a rebrand, get back to me in the new year.",
        "Not for the next couple of months, sorry.",
        "Im Moment passt es nicht, melden Sie sich im Herbst wieder.",
        "Pas pour l'instant, recontactez-moi en septembre.",
        "Ahora mismo no, quizás más adelante.",
    ],
    "Not A Fit": [
        "We're a walk-in only clinic, so no booking page to speak of.",
        "Thanks but we've just signed with another agency for this.",
        "Ce n'est pas pour nous, merci.",
        "No nos interesa, gracias.",
    ],
    "Question": [
        "What would it cost us?",
        "Do you work with practices outside the UK?",
        "Welche Kosten kommen auf uns zu?",
        "Combien ça coûte ?",
    ],
    "Objection": [
        "Our patients have never complained about the form.",
        "We don't have the budget for anything like this.",
    ],
    "Referral": [
        "You'd want to talk to our operations lead, Priya (priya@harbourphysio.example).",
        "I'm not the one who handles this - try our office manager.",
    ],
    "Unknown": ["Received.", "Cheers"],
}


# A seventh set, written on 2026-12-01 after the sixth was tuned on (its concepts:
# assets/inbound/reply_concepts.py), scored once and not tuned on
HOLDOUT_7: dict[str, list[str]] = {
    "Unsubscribe": [
        "Please don't contact me again about this.",
        "Take this address off your list, thanks.",
        "I'd like to be removed from any future emails.",
        "Keine Werbung mehr an diese Adresse, bitte.",
        "Arrêtez de m'envoyer ces messages.",
        "Bórrenme de su lista, por favor.",
        "Smettete di scrivermi, grazie.",
        "Stuur me geen berichten meer.",
        "Não me enviem mais emails.",
        "Usuńcie mnie z listy mailingowej.",
        "Ta bort mig från er lista.",
        "メールの送信を停止してください。",
    ],
    "Complaint": [
        "This is unsolicited marketing and I'm reporting it.",
        "I have never given you permission to email me. I'll be complaining to the regulator.",
        "Esto es spam. Voy a denunciarlo.",
    ],
    "Interested": [
        "Go on then, send it across.",
        "Sounds sensible, I'd like to see the checklist.",
        "Ja, das klingt interessant. Schicken Sie es mir.",
        "Oui pourquoi pas, envoyez-la-moi.",
        "Me parece bien, envíenmela.",
        "Ja, dat lijkt me nuttig. Stuur maar door.",
        "Tak, chętnie zobaczę.",
    ],
    "Not Now": [
        "Can you check back with me in March?",
        "We're flat out until the summer, try me then.",
        "Nicht jetzt, vielleicht nächstes Jahr.",
        "Pas maintenant, on est en pleine saison.",
        "Adesso non è il momento, riproviamo in autunno.",
        "Nu even niet, misschien na de zomer.",
    ],
    "Not A Fit": [
        "We only do home visits, so there's no booking page.",
        "Not relevant to us I'm afraid.",
        "Das brauchen wir nicht, danke.",
        "Esto no es para nosotros.",
        "Non fa per noi, grazie.",
    ],
    "Question": [
        "Is the checklist free?",
        "How long does the review take?",
        "Qu'est-ce que la checklist contient exactement ?",
        "¿Cuánto cuesta el diagnóstico?",
    ],
    "Objection": [
        "We're too small for this sort of thing to matter.",
        "I don't see the point, people book by phone anyway.",
    ],
    "Referral": [
        "Please speak to my colleague Dan about this, he manages the website.",
        "Our marketing is handled by head office, not me.",
    ],
    "Unknown": ["ok", "Will read later."],
}


# An eighth set, written on 2026-12-01 after the seventh was tuned on, scored once and
# not tuned on: longer replies, several clauses, some with a greeting and a sign-off
HOLDOUT_8: dict[str, list[str]] = {
    "Unsubscribe": [
        "Hi Alex, thanks but I'd prefer you didn't email me going forward.",
        "Hello. This inbox is for patient enquiries only - please remove it from whatever "
        "list you're using.",
        "Guten Tag, bitte nehmen Sie meine Adresse aus Ihrer Liste. Danke.",
        "Bonjour, je ne veux plus recevoir ce type de mail. Cordialement.",
        "Hola, no vuelvan a escribirme por favor.",
        "Buongiorno, vi chiedo di cancellare il mio indirizzo dalla vostra lista.",
        "Beste Alex, ik wil hier geen mails meer over ontvangen.",
        "Olá, peço que deixem de me contactar. Obrigado.",
        "Dzień dobry, proszę o usunięcie mojego adresu z bazy.",
        "Hej, jag vill inte få fler utskick från er.",
    ],
    "Complaint": [
        "Third email in a week. This is harassment and I've flagged it as spam.",
        "I don't know who sold you my details but this is not legal under GDPR.",
        "Je n'ai jamais donné mon accord pour recevoir ça. Je porte plainte.",
    ],
    "Interested": [
        "Hi Alex, good timing - our receptionist was just complaining about the form. Send "
        "it over and we'll take a look.",
        "That sounds useful. Could you send the checklist to me and my practice manager?",
        "Sehr gern, die Checkliste würde uns helfen.",
        "Bonjour, oui ça m'intéresse, vous pouvez m'envoyer le document ?",
        "Hola Alex, suena interesante. Mándame la lista.",
        "Ciao, certo, mi farebbe piacere vederla.",
        "Ja, interessant. Stuur de checklist maar naar dit adres.",
    ],
    "Not Now": [
        "Hi, we're in the middle of hiring so I can't look at this until February.",
        "Could you drop me a line again in Q2? Too much on right now.",
        "Hallo, momentan haben wir keine Zeit dafür. Gerne im nächsten Quartal.",
        "Merci, mais ce n'est pas le bon moment. Revenez vers moi dans quelques mois.",
        "Gracias, ahora mismo estamos con otras prioridades. Hablamos en primavera.",
        "Grazie, al momento non possiamo. Magari dopo l'estate.",
    ],
    "Not A Fit": [
        "Thanks Alex, but we're closing the clinic at the end of the year.",
        "We're part of a larger group and they run the website centrally, so no.",
        "Danke, aber wir haben bereits eine Agentur dafür.",
        "Merci, mais nous avons déjà un prestataire.",
        "Obrigado, mas não precisamos disso.",
    ],
    "Question": [
        "Hi Alex, before I say yes - what exactly happens in the diagnostic?",
        "Does the checklist apply to a practice with three locations?",
        "Bonjour, c'est gratuit ?",
        "Quanto costa il servizio?",
    ],
    "Objection": [
        "We looked at changing the form last year and the booking numbers didn't move.",
        "Every agency says this. Not convinced a checklist changes much.",
    ],
    "Referral": [
        "Hi, I'm the clinical lead - bookings are Sarah's area. I've copied her in.",
        "Your best bet is our owner, Mark. His email is mark@harbourphysio.example.",
    ],
    "Unknown": ["Thanks, will have a look at some point.", "Hi Alex, hope you're well."],
}


# written on 2026-12-01 (afternoon) after the meaning model's design was fixed (logistic
# regression over multilingual-e5-small embeddings of the earlier sets, for what the rules
# leave Unknown) and before either the rules or the model saw it: scored once
HOLDOUT_9: dict[str, list[str]] = {
    "Unsubscribe": [
        "Please take this address off your mailing list, it's a shared reception inbox.",
        "No more emails please. Thanks.",
        "Hi Alex - I'm not the right audience for these, kindly stop sending them.",
        "Hallo, ich möchte keine weiteren Nachrichten von Ihnen erhalten.",
        "Merci de ne plus m'écrire à cette adresse.",
        "Por favor, dejen de enviarme correos.",
        "Non scrivetemi più, grazie.",
        "Graag uitschrijven, dank u.",
        "Hei, en halua enää viestejä teiltä.",
        "Prosím, již mi neposílejte žádné e-maily.",
        "今後このようなメールは送らないでください。",
    ],
    "Complaint": [
        "How did you get this address? I never signed up for anything from you and I'm "
        "reporting this.",
        "This is unsolicited marketing to a personal address. I'll be contacting the ICO.",
        "Das ist unerwünschte Werbung, ich habe Sie nie um Kontakt gebeten. Ich melde das.",
    ],
    "Interested": [
        "Go on then, send me the checklist and I'll see what the team thinks.",
        "This is actually on our list for next month - happy to have a look.",
        "Yes, I'd like to see it. Our online bookings have been patchy.",
        "Klingt gut, schicken Sie mir gern mehr dazu.",
        "Avec plaisir, envoyez-moi la checklist.",
        "Me interesa, ¿me la puedes mandar?",
        "Sì, mandatemela pure.",
        "Ja graag, ik ben benieuwd.",
    ],
    "Not Now": [
        "We've just signed off the budget for this year, so maybe get back to me after April.",
        "Not a priority at the moment, but feel free to follow up in the new year.",
        "Bitte melden Sie sich in ein paar Monaten wieder, gerade passt es nicht.",
        "Pas pour l'instant, on en reparle à la rentrée.",
        "Ahora no es buen momento, escríbeme después del verano.",
        "今は忙しいので、来年また連絡してください。",
    ],
    "Not A Fit": [
        "We don't take bookings online at all - everything is by referral from GPs.",
        "Thanks, but we're a one-person practice and this is overkill for us.",
        "Wir sind eine reine Privatpraxis ohne Website, das passt nicht.",
        "Nous n'avons pas besoin de ce service, merci.",
        "Grazie, ma non fa per noi.",
    ],
    "Question": [
        "How long does the diagnostic take, and do you need access to our site?",
        "Is this something you charge for, or is the checklist free?",
        "Wie lange dauert das ungefähr?",
        "Vous travaillez aussi avec des cliniques en Belgique ?",
    ],
    "Objection": [
        "Honestly our patients book by phone and prefer it that way, so I doubt the form matters.",
        "We've had three agencies promise more bookings and none delivered.",
        "Ich glaube nicht, dass ein neues Formular etwas ändert.",
    ],
    "Referral": [
        "I'm only the receptionist - you'd need to speak to Dr Patel, priya.patel@harbourphysio.example.",
        "Our marketing is handled by head office; try Jenny Lowe there.",
        "Dafür ist mein Kollege Herr Braun zuständig, ich leite Ihre Mail weiter.",
    ],
    "Unknown": [
        "Noted with thanks.",
        "Who is this?",
        "Thank you for your email.",
    ],
}


# Taught to the meaning model only (the rules were not tuned on these): more ways people
# say each thing, written on 2026-12-01 after the ninth set was scored, none of them a
# rewording of a held-out reply
TAUGHT_10: dict[str, list[str]] = {
    "Unsubscribe": [
        "I'd appreciate it if you took me off whatever list this is.",
        "Please delete my details, I don't want any more of these.",
        "Opt me out please.",
        "This is the second one of these - I'd rather not get them at all.",
        "Wir möchten keine weiteren Angebote per E-Mail bekommen.",
        "Je souhaite être désinscrit de vos envois.",
        "No deseo recibir más comunicaciones suyas.",
        "Vi prego di non inviarmi altre comunicazioni.",
        "Ik wil graag afgemeld worden voor deze mails.",
        "Por favor, não quero receber mais nada.",
        "Nie chcę otrzymywać od Państwa żadnych wiadomości.",
        "Jag vill avregistrera mig från era mejl.",
        "Jeg ønsker ikke at modtage flere mails fra jer.",
        "配信停止をお願いします。",
    ],
    "Complaint": [
        "You've emailed a private address that was never published anywhere. Explain where you got it.",
        "This is a breach of PECR and I've kept a copy for my complaint.",
        "Stop spamming our clinic. I've reported your domain to our email provider.",
        "Vous n'avez aucun droit d'utiliser mon adresse, je saisis la CNIL.",
        "Esto es correo basura y lo voy a denunciar.",
    ],
    "Interested": [
        "Happy to take a look - what's the next step?",
        "Sounds like something we need, to be honest. Send it through.",
        "I'd be keen to hear more about how you'd approach it.",
        "Could be good timing actually, we're reviewing the website this quarter.",
        "Gerne, lassen Sie uns nächste Woche kurz telefonieren.",
        "Oui pourquoi pas, envoyez-moi ça.",
        "Claro, me gustaría verlo.",
        "Volentieri, possiamo sentirci giovedì.",
        "Prima, plan maar een kort gesprek in.",
        "Sim, podemos marcar uma chamada.",
        "Chętnie się zapoznam, proszę przesłać.",
        "興味があります。詳しく教えてください。",
    ],
    "Not Now": [
        "Ask me again once the summer rush is over.",
        "We're moving premises next month, so this will have to wait.",
        "Timing isn't great, we're short-staffed until spring.",
        "Aktuell nicht, vielleicht Anfang nächsten Jahres.",
        "Pas maintenant, écrivez-moi plutôt en janvier.",
        "De momento no, contáctame dentro de unos meses.",
        "Per ora no, risentiamoci a settembre.",
        "今は時期ではありません。半年後にまたご連絡ください。",
    ],
    "Not A Fit": [
        "We're a charity-run service and don't take private bookings.",
        "This isn't relevant to us, we only see NHS referrals.",
        "We've no plans to change how bookings work, so I'll pass.",
        "Our booking system is run by the hospital trust, not us.",
        "Ça ne nous concerne pas, nous n'avons pas de site.",
        "No es para nosotros, somos una clínica pública.",
        "Non ci serve, grazie lo stesso.",
        "Geen interesse, wij werken alleen op verwijzing.",
        "必要ありません。",
    ],
    "Question": [
        "Who else have you done this for?",
        "What does the checklist actually cover?",
        "Is there a catch, or is this genuinely free?",
        "How would this work with our current booking software?",
        "Was genau prüfen Sie bei der Analyse?",
        "Quel est le délai pour recevoir les résultats ?",
        "¿Trabajan también con clínicas dentales?",
        "Quanto tempo richiede?",
        "費用はかかりますか？",
    ],
    "Objection": [
        "Most of our bookings come through word of mouth, so I'm not sure the website matters.",
        "We tried an online form before and people still rang up.",
        "I don't see how a checklist fixes a staffing problem.",
        "Honestly we get enough bookings already.",
        "We can't justify spending on marketing this year.",
        "Unsere Patienten sind eher älter und buchen lieber telefonisch.",
        "Nous avons déjà essayé, sans résultat.",
        "No creo que nuestro problema sea el formulario.",
    ],
    "Referral": [
        "That's handled by our practice manager, Tom - tom@harbourphysio.example.",
        "Please send this to our marketing contractor instead, I'll pass on your email.",
        "I'm clinical, not admin. Speak to reception about bookings.",
        "The person you want is our director, Helen Shaw.",
        "Bitte wenden Sie sich an unsere Praxismanagerin, Frau Keller.",
        "C'est mon associé qui gère ça, je lui transmets.",
        "Eso lo lleva mi compañera Laura, te paso su contacto.",
        "Se ne occupa il mio collega Marco, gli inoltro la mail.",
    ],
    "Unknown": [
        "Speak soon.",
        "Sorry, I think this went to the wrong person? Or maybe not.",
        "Hi Alex",
    ],
}


# A tenth set, written on 2026-12-01 after the model was fitted with TAUGHT_10 and the
# Dutch participle was added to the rules; scored once, tuned on by neither
HOLDOUT_10: dict[str, list[str]] = {
    "Unsubscribe": [
        "Hi, can you make sure I don't get any more of these? Thanks.",
        "Remove me from your mailing please, I'm retiring next month anyway.",
        "We don't accept sales emails at this address - please update your records and "
        "stop writing to it.",
        "Bitte schreiben Sie mich nicht mehr an.",
        "Je ne souhaite plus être contacté par votre société.",
        "No me interesa, y por favor no me escriban más.",
        "Per favore rimuovete la mia email dai vostri contatti.",
        "Wilt u mij niet meer mailen?",
        "Proszę więcej do mnie nie pisać.",
        "Avsluta prenumerationen, tack.",
        "メールマガジンの配信を止めてください。",
    ],
    "Complaint": [
        "I've asked you twice to stop. This is now a formal complaint.",
        "Where did you get my mobile-linked email? I'm reporting this to the regulator.",
        "Ce démarchage est illégal, je le signale.",
    ],
    "Interested": [
        "Ooh yes, we've been talking about this exact thing. When can you send it?",
        "Sure, send the checklist. No promises, but I'll read it.",
        "We'd like to try it. Can you do the diagnostic for both sites?",
        "Ja, das interessiert uns. Wann hätten Sie Zeit?",
        "Ça m'intéresse, on peut s'appeler mardi ?",
        "Sí, envíamela y la reviso con el equipo.",
        "Molto interessante, mi mandi qualcosa.",
        "Klinkt interessant, stuur het maar door.",
    ],
    "Not Now": [
        "Catch me in February - we're closed over Christmas and swamped before it.",
        "Interesting, but we've just started a new booking system. Maybe in six months.",
        "Zurzeit haben wir andere Prioritäten. Fragen Sie nach Ostern noch einmal.",
        "Revenez vers moi au printemps, ce n'est pas le moment.",
        "Ahora estamos de reformas, mejor en otoño.",
        "今月は忙しいので、来月以降にお願いします。",
    ],
    "Not A Fit": [
        "We're selling the practice, so there's no point.",
        "Our website is managed by the franchise and we can't change anything.",
        "Sorry, we only treat horses - I think you have the wrong kind of clinic.",
        "Das ist für eine kleine Praxis wie unsere nicht relevant.",
        "Merci, mais ça ne correspond pas à notre activité.",
    ],
    "Question": [
        "What would you need from us to do the diagnostic?",
        "Do you do this for dentists as well or only physios?",
        "Gibt es dazu ein Beispiel?",
        "Le diagnostic se fait à distance ?",
    ],
    "Objection": [
        "We get more enquiries than we can handle already.",
        "I've read these reports before, they never tell me anything new.",
        "Nuestros pacientes prefieren llamar por teléfono.",
    ],
    "Referral": [
        "You want our practice manager for this, Claire Dunn.",
        "I've forwarded this to our IT person, he'll be in touch if interested.",
        "Para esto habla con nuestra gerente, Marta (marta@harbourphysio.example).",
    ],
    "Unknown": [
        "Hmm, not sure.",
        "Sent from the wrong account, ignore my last message.",
        "Cheers Alex, noted.",
    ],
}


# An eleventh set, written on 2026-12-01 (a new session) before the model was refitted
# with balanced class weights on every earlier set and the sender's sign-off was cut from
# what it reads; scored once, tuned on by neither
HOLDOUT_11: dict[str, list[str]] = {
    "Unsubscribe": [
        "Not for us. Please take this address off your database.",
        "Could you stop sending these to my work email? Thank you.",
        "I never signed up for this - unsubscribe.",
        "Bitte entfernen Sie unsere Praxis aus Ihrem Verteiler.",
        "Merci de ne plus m'écrire à cette adresse.",
        "Dejen de enviarme correos, gracias.",
        "Non voglio ricevere altre email da voi.",
        "Haal mijn adres uit uw bestand alstublieft.",
        "Proszę usunąć mój adres z waszej listy.",
        "Ta bort mig från era utskick.",
        "Não me enviem mais emails, obrigado.",
        "今後このようなメールは送らないでください。",
    ],
    "Complaint": [
        "I have never given you permission to contact me. I am reporting this as spam.",
        "This is unsolicited and unlawful under GDPR. Expect a complaint to the ICO.",
        "Das ist unerlaubte Werbung, ich werde mich bei der Verbraucherzentrale beschweren.",
    ],
    "Interested": [
        "Yes, that would be helpful - please send it over.",
        "Go on then, I'm curious what you found.",
        "We've been meaning to fix that page. Let's talk this week.",
        "Klingt gut, schicken Sie mir gern die Checkliste.",
        "Avec plaisir, envoyez-moi la liste.",
        "Me interesa, ¿cuándo podemos hablar?",
        "Sì, mi faccia sapere quando possiamo parlarne.",
        "Ja graag, stuur me de checklist.",
    ],
    "Not Now": [
        "Not right now, but try me again in the new year.",
        "We're in the middle of an audit - can we revisit in March?",
        "Im Moment passt es nicht, melden Sie sich bitte im Sommer wieder.",
        "Pas pour l'instant, recontactez-moi dans trois mois.",
        "Ahora mismo no es buen momento, quizá después del verano.",
        "来年の春頃にもう一度ご連絡いただけますか。",
    ],
    "Not A Fit": [
        "We don't take online bookings at all, it's referral only.",
        "We're a one-person practice with a waiting list, so this isn't for us.",
        "Wir sind eine Klinik im Krankenhausverbund, das entscheidet die Zentrale.",
        "Ce n'est pas adapté à notre cabinet, merci quand même.",
        "No encaja con lo que hacemos, gracias.",
    ],
    "Question": [
        "How long does the review take, and what do you need from me?",
        "Is this something you charge for afterwards?",
        "Welche Daten brauchen Sie dafür von uns?",
        "Vous travaillez aussi avec les ostéopathes ?",
    ],
    "Objection": [
        "Our patients are happy ringing up, I don't think they want to book online.",
        "We've had agencies promise this before and nothing changed.",
        "Unser Formular funktioniert eigentlich gut, finde ich.",
    ],
    "Referral": [
        "Best to speak to our office manager, Priya, she handles the website.",
        "I'll forward this to my business partner who looks after marketing.",
        "Wenden Sie sich bitte an Herrn Vogel, er ist für die Website zuständig.",
    ],
    "Unknown": [
        "Received, thanks.",
        "ok",
        "Got it.",
    ],
}


def _add_split(items: list[dict], n: int, split: str, texts_by_label: dict[str, list[str]]) -> int:
    """A labelled set's replies, numbered on from `n`; the last number used."""
    for label, texts in texts_by_label.items():
        for text in texts:
            n += 1
            items.append(
                {
                    "id": n,
                    "label": label,
                    "split": split,
                    "raw": reply_message(n, text, STYLES[n % 4]).decode(),
                }
            )
    return n


def build() -> list[dict]:
    items, n = [], 0
    for label, texts in REPLIES.items():
        for text in texts:
            n += 1
            items.append(
                {"id": n, "label": label, "raw": reply_message(n, text, STYLES[n % 4]).decode()}
            )
    for split, holdout in (("holdout", HOLDOUT), ("holdout2", HOLDOUT_2), ("holdout3", HOLDOUT_3)):
        n = _add_split(items, n, split, holdout)
    for subject, text, back in OUT_OF_OFFICE:
        n += 1
        raw = reply_message(
            n,
            text,
            STYLES[n % 4],
            subject=subject,
            headers={"Auto-Submitted": "auto-replied"} if n % 2 else {"X-Autoreply": "yes"},
        )
        items.append({"id": n, "label": "Out Of Office", "return_on": back, "raw": raw.decode()})
    for status, diagnostic, kind in BOUNCES:
        n += 1
        items.append(
            {
                "id": n,
                "label": "Bounce",
                "bounce_type": kind,
                "raw": bounce_message(n, status, diagnostic).decode(),
            }
        )
    # last, so every earlier id stays what it was
    n = _add_split(items, n, "holdout4", HOLDOUT_4)
    n = _add_split(items, n, "holdout5", HOLDOUT_5)
    n = _add_split(items, n, "holdout6", HOLDOUT_6)
    n = _add_split(items, n, "holdout7", HOLDOUT_7)
    n = _add_split(items, n, "holdout8", HOLDOUT_8)
    n = _add_split(items, n, "holdout9", HOLDOUT_9)
    n = _add_split(items, n, "taught10", TAUGHT_10)
    n = _add_split(items, n, "holdout10", HOLDOUT_10)
    _add_split(items, n, "holdout11", HOLDOUT_11)
    return items


if __name__ == "__main__":
    items = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8"
    )
    print(f"{len(items)} replies -> {OUT}")
