"""Replies in the EU languages and Japanese: interest, not now, not a fit and
out-of-office wording is read as such, and a negated interest ("kein Interesse", "no me
interesa") is never read as interest. The second list was written after the patterns
were tuned on the first, and not tuned on."""

import pytest

from assets.inbound.reply_classes import classify_words

TUNED = {
    "Interested": [
        "Ja gerne, schicken Sie mir die Checkliste.",
        "Avec plaisir, envoyez-moi la liste.",
        "Sí, me interesa, envíemelo por favor.",
        "Volentieri, mandatemi la checklist.",
        "Graag, stuur het maar.",
        "Sim, com certeza, pode enviar.",
        "Chętnie, proszę przesłać.",
        "Ja gärna, låter bra.",
        "ぜひ送ってください。",
    ],
    "Not Now": [
        "Derzeit nicht, vielleicht nächstes Jahr.",
        "Pas pour le moment, peut-être l'année prochaine.",
        "Ahora no, quizás más adelante.",
        "Non ora, forse il prossimo anno.",
        "Nu even niet, misschien volgend jaar.",
        "Agora não, talvez no próximo ano.",
        "Nie teraz, może w przyszłym roku.",
        "Inte just nu, kanske nästa år.",
        "今は検討していません。来年また改めてご連絡ください。",
    ],
    "Not A Fit": [
        "Kein Interesse, danke.",
        "Pas intéressé, merci.",
        "No me interesa, gracias.",
        "Non mi interessa.",
        "Geen interesse.",
        "Não tenho interesse.",
        "Nie jestem zainteresowany.",
        "Inte intresserad, nej tack.",
        "興味はありません。",
    ],
    "Out Of Office": [
        "Ich bin im Urlaub und ab dem 3. Dezember wieder erreichbar.",
        "Je suis absent du bureau jusqu'au 2 décembre.",
        "Estoy fuera de la oficina hasta el lunes.",
        "Sono in ferie fino al 2 dicembre.",
        "Ik ben afwezig tot maandag.",
        "Estou de férias até segunda.",
        "Jestem na urlopie do poniedziałku.",
        "Jag är på semester till måndag.",
        "休暇中のため、返信が遅れます。",
    ],
}
HELD_OUT = [
    ("Interested", "Das klingt interessant, gerne mehr dazu."),
    ("Not Now", "Momentan kein Bedarf, melden Sie sich im Frühjahr."),
    ("Unsubscribe", "Bitte entfernen Sie mich aus Ihrem Verteiler."),
    ("Interested", "Oui, ça m'intéresse, envoyez-la-moi."),
    ("Out Of Office", "Je suis en congé jusqu'au 5 janvier."),
    ("Not A Fit", "Non merci, ce n'est pas pour nous."),
    ("Interested", "Suena bien, mándamelo."),
    ("Not Now", "Por ahora no, escríbeme el próximo trimestre."),
    ("Unsubscribe", "Por favor, no me escriban más, quiero darme de baja."),
    ("Interested", "Mi interessa, inviatemi i dettagli."),
    ("Out Of Office", "Sarò fuori ufficio fino a lunedì."),
    ("Not Now", "Ricontattatemi più avanti, ora siamo pieni."),
    ("Interested", "Klinkt goed, ik ben geïnteresseerd."),
    ("Not A Fit", "Nee dank je, geen behoefte."),
    ("Interested", "Parece interessante, pode mandar."),
    ("Out Of Office", "Estou fora do escritório até sexta."),
    ("Not Now", "Nie teraz, proszę o kontakt w przyszłym roku."),
    ("Unsubscribe", "Proszę mnie wypisać z listy."),
    ("Interested", "Jag är intresserad, skicka gärna mer."),
    ("Not A Fit", "Nej tack, inte intresserad."),
    ("Interested", "詳しく知りたいです。資料を送ってください。"),
    ("Not Now", "今は必要ありませんが、来期に検討します。"),
    ("Unsubscribe", "今後のメールは配信停止してください。"),
    ("Out Of Office", "出張中のため、来週返信します。"),
]


@pytest.mark.parametrize(
    ("expected", "text"), [(k, t) for k, texts in TUNED.items() for t in texts] + HELD_OUT
)
def test_each_language_reads_as_its_class(expected, text):
    assert classify_words(text).reply_class == expected


def test_a_negated_interest_is_never_interest():
    for text in TUNED["Not A Fit"]:
        assert classify_words(text).reply_class != "Interested", text


@pytest.mark.parametrize(
    ("expected", "text"),
    [
        # a verb of removing or stopping beside a word for our mail or list, in any order
        ("Unsubscribe", "Merci de me retirer de votre liste de diffusion."),
        ("Unsubscribe", "Por favor, dejen de enviarme correos."),
        ("Unsubscribe", "Haal mij alsjeblieft van jullie lijst."),
        ("Unsubscribe", "Por favor, removam o meu e-mail da vossa lista."),
        ("Unsubscribe", "Toglietemi dalla vostra lista, grazie."),
        # a negation right by a verb of sending, and "more"
        ("Unsubscribe", "Proszę nie wysyłać mi więcej wiadomości."),
        ("Unsubscribe", "Skicka inte fler mejl, tack."),
        # consent never given; a data protection authority named
        ("Complaint", "Ich habe dem nie zugestimmt."),
        ("Complaint", "Je vais saisir la CNIL."),
        # a negation beside "now" or a time to come
        ("Not Now", "Not for the next couple of months, sorry."),
        ("Not Now", "Im Moment passt es nicht, melden Sie sich im Herbst wieder."),
        ("Not Now", "Pas pour l'instant, recontactez-moi en septembre."),
        ("Not A Fit", "Ce n'est pas pour nous, merci."),
        ("Not A Fit", "Das ist nichts für uns."),
    ],
)
def test_concepts_that_meet_in_a_clause_read_as_their_class(expected, text):
    assert classify_words(text).reply_class == expected


@pytest.mark.parametrize(
    "text",
    [
        "Not sure, send me more details.",  # the negation is another clause's
        "Yes please, send me more about it.",
        "Mais oui, envoyez-moi plus d'informations.",
        "No problem at all, we can talk properly in the spring.",
        "Our patients have never complained about the form.",
    ],
)
def test_concepts_apart_or_unnegated_are_no_opt_out_or_deferral(text):
    assert classify_words(text).reply_class not in ("Unsubscribe", "Complaint", "Not Now")


@pytest.mark.parametrize(
    ("expected", "text"),
    [
        ("Complaint", "This is a complaint about your emails."),
        ("Complaint", "I will be complaining to the regulator."),
        # someone else's complaint about the form is the reason to say yes, not a complaint
        ("Interested", "Our receptionist was complaining about the form, send it over."),
        ("Objection", "Our patients have never complained about the form."),
    ],
)
def test_a_complaint_is_the_writers_own(expected, text):
    assert classify_words(text).reply_class == expected


def test_a_question_word_opens_a_question_after_an_inverted_mark_too():
    assert classify_words("¿Cuánto cuesta el diagnóstico?").reply_class == "Question"
    # a question mark alone is no question: "who are you?" is for a person to read
    assert classify_words("¿Qué?").reply_class == "Unknown"
    assert classify_words("Wer sind Sie?").reply_class == "Unknown"
