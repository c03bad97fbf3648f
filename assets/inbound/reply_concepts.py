"""Replies read by concepts that meet in one sentence, in English and the EU languages
and Japanese, where `reply_classes` reads whole phrasings.

A phrasing list misses the next way of saying the same thing ("haal mij van jullie
lijst", "dejen de enviarme correos"); the concepts under it are few: a verb of removing
or stopping beside a word for our mail or our list is an opt-out, whatever the order and
whatever comes between; a negation beside "now" or a time to come is a not-now. Each
concept is a list of word stems per language, matched at a word's start, or as a whole
word where marked "$" (Japanese has no spaces: its stems match anywhere)."""

import re
import unicodedata

# concept: "|"-separated stems, any language; a stem matches at the start of a word, or as
# the whole word where it ends in "$"
LEXICON: dict[str, str] = {
    # removing from, or stopping
    "remove": (
        "remove|take me off|take us off|off your$|off the list|off this list|off the mailing|"
        "delete|nehmen sie mich|nehmen sie meine|herausnehm|rausnehm|usuni|unsubscrib|stop|"
        "quit|cease|entfern|lösch|losch|streich|austrag|trag mich aus|aufhör|aufhor|retir|"
        "supprim|enlev|arrêt|arret|cessez|elimin|borr|dejen de|deja de|dejar de|paren de|"
        "bajar|rimuov|togli|cancell|smett|basta|verwijder|haal me|haal mij|haal ons|schrap|"
        "afmeld|afgemeld|uitschrijv|uitgeschrev|abmeld|abgemeld|ausgetrag|gelösch|gelosch|"
        "gestrich|remov|remova|tirem|apag|parem|deixem de|deixe de|descadastr|usuń|"
        "usun|wypis|przestań|przestan|skreśl|skresl|ta bort|sluta|avsluta|avregistr|"
        "削除|停止|やめて|止めて|解除"
    ),
    # our mail, or the list it comes from
    "channel": (
        "e-mail|email|mail|messag|newsletter|list$|lists$|mailing|contact|address|adresse|"
        "direccion|indirizzo|adres|endereco|database|datenbank|base de donnees|base de datos|"
        "bazy$|bazie$|databas|nachricht|verteiler|zuschrift|werbung|liste$|courriel|diffusion|"
        "correo|mensaj|lista|envío|envio|messagg|comunicazion|bericht|lijst$|mensage|contato|"
        "contacto|wiadomoś|wiadomos|listy$|mejl|utskick|e-post|listan$|メール|配信|リスト|連絡"
    ),
    "negation": (
        "not$|don't$|dont$|do not$|never$|no$|isn't$|aren't$|won't$|can't$|haven't$|doesn't$|"
        "didn't$|wouldn't$|shouldn't$|nicht$|kein|nie$|ne$|n'|pas$|jamais$|nunca$|non$|niet$|"
        "geen$|nooit$|não$|nao$|inte$|aldrig$|ej$|nothing$|nichts$|rien$|nada$|niente$|niets$|"
        "nic$|inget$|ない|ません"
    ),
    # sending, writing, contacting
    "send": (
        "send|sending|writ|email|e-mail|mail|contact|messag|schick|schreib|kontakt|anschreib|"
        "envo|envoy|écri|ecri|enví|envi|mand|escrib|invi|scriv|contatt|stuur|schrijf|"
        "contacteer|escrev|contat|wysył|wysyl|pisa|skick|mejla|maila|kontakta|送|連絡"
    ),
    "more": (
        "more$|again$|further$|any more$|anymore$|going forward$|in future$|in the future$|"
        "from now on$|vuelvan a|vuelva a|volver a|mehr$|wieder$|plus$|jamais$|más$|nunca$|"
        "mais$|più$|piu$|meer$|nooit$|więcej$|wiecej$|już$|juz$|fler$|mer$|igen$|今後|二度と|もう"
    ),
    "now": (
        "now|at the moment|right now|at present|currently|this time|jetzt|moment|derzeit|"
        "zurzeit|aktuell|maintenant|l'instant|le moment|actuellement|ahora$|momento$|ora$|"
        "adesso$|attualmente$|nu$|agora$|teraz$|chwili$|obecnie$|just nu$|för tillfället|今は|"
        "現在"
    ),
    # a time to come: "later", a season, a month, "the new year", "a couple of months"
    "later": (
        "later$|next$|new year|q1$|q2$|q3$|q4$|months$|weeks$|spring$|summer$|autumn$|winter|"
        "january|february|march|april|june|july|august|september|october|november|december|"
        "später|spater|nächst|nachst|frühling|fruhling|sommer|herbst|monat|wochen|januar|"
        "februar|märz|juni|juli|plus tard|prochain|printemps|automne|hiver|mois|semaines|"
        "janvier|février|fevrier|mars|avril|juin|juillet|août|aout|septembre|octobre|novembre|"
        "décembre|decembre|más adelante|mas adelante|luego|próxim|proxim|primavera|verano|"
        "otoño|otono|invierno|meses|semanas|enero|febrero|marzo|abril|junio|julio|agosto|"
        "septiembre|octubre|noviembre|diciembre|più avanti|piu avanti|prossim|autunno|inverno|"
        "mesi$|settimane|gennaio|febbraio|aprile|giugno|luglio|settembre|ottobre|dicembre|"
        "volgend|zomer$|najaar$|maanden$|weken$|mais tarde|verão|verao|outono|próximo|później|"
        "pozniej|przyszł|przyszl|miesięc|miesiec|wiosn|lato$|jesien|jesień|senare|nästa|nasta|"
        "våren|varen|sommaren|hösten|hosten|månader|manader|来年|来月|来期|後日|改めて"
    ),
    # needing (negated: no need for it)
    "need": (
        "need|brauch|benötig|besoin|necesit|bisogno|serve$|nodig|precis|potrzeb|behöv|behov|必要"
    ),
    # asking to be written to again
    "recontact": (
        "check back|get back to|come back to|try me|try us|follow up|drop me a line|"
        "circle back|reach out again|write again|melden sie sich|kommen sie|recontact|revenez|"
        "vuelva|escríbame|ricontatt|riprov|sentiamoci|neem contact|kom terug|volte a|odezw|"
        "hör av|hor av|改めて"
    ),
    # other things come first for now
    "priorities": (
        "other priorities|andere prioritat|autres priorites|otras prioridades|altre priorita|"
        "andere prioriteiten|outras prioridades|inne priorytety|andra prioriteringar|"
        "keine zeit|no time$|pas le temps|no tenemos tiempo|non abbiamo tempo|geen tijd|"
        "sem tempo|nie mamy czasu|ingen tid"
    ),
    # someone already does it for them
    "already": ("already|bereits|schon$|deja$|ya$|gia$|al$|ja$|juz$|redan$"),
    "provider": (
        "agency|agencies|provider|supplier|someone|agentur|anbieter|dienstleister|agence|"
        "prestataire|fournisseur|agencia|proveedor|agenzia|fornitore|bureau$|leverancier|"
        "fornecedor|agencja|dostawc|byra$|leverantor"
    ),
    "until": ("until$|till$|bis$|jusqu|hasta$|fino a|tot$|até$"),
    # "for us", in the words of each language, with the verb where it sits between
    # ("no es para nosotros", "non fa per noi", "não é para nós")
    "for_us": (
        "for us|for me|für uns|fur uns|für mich|pour nous|pour moi|para nosotros|para mí|"
        "para mi|per noi|per me|voor ons|voor mij|para nós|para nos|dla nas|för oss|for oss|"
        "es para nosotros|es para mi|fa per noi|fa per me|è per noi|é para nós|e para nos"
    ),
    # a data protection authority, or a consent never given
    "authority": (
        "ico$|information commissioner|datenschutzbehörde|datenschutzbehorde|"
        "datenschutzbeauftragt|cnil|aepd|garante$|autoriteit persoonsgegevens|cnpd$|uodo$|"
        "imy$|個人情報保護委員会"
    ),
    "consent": (
        "zugestimmt|eingewilligt|angemeldet|consenti|accepté|inscrit|consentí|acepté|suscrito|"
        "acconsentito|iscritto|toestemming|aangemeld|autorizei|zgod|samtyck|signed up|"
        "opted in|consented|subscribed|同意|登録した覚え"
    ),
}
# a clause: concepts must meet within one ("Not sure, send me more" is no opt-out; "please
# stop and read this message" is no request to stop the messages)
SENTENCE = re.compile(r"(?:(?! (?:and|und|et|och) )[^.!?。！？、,;:\n])+")
CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def fold(text: str) -> str:
    """Lowercase without accents ("Bórrenme" -> "borrenme"); Japanese kept as it is."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return unicodedata.normalize(
        "NFKC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def _compiled(stems: str) -> re.Pattern[str]:
    """One pattern: a stem at a word's start ("$" at its end: the whole word); a Japanese
    stem anywhere. Stems and text are matched folded."""
    parts = []
    for stem in sorted({fold(s) for s in stems.split("|")}, key=len, reverse=True):
        whole = stem.endswith("$")
        stem = stem.removesuffix("$")
        if CJK.search(stem):
            parts.append(re.escape(stem))
        else:
            parts.append(r"(?<!\w)" + re.escape(stem) + (r"(?![\w'])" if whole else ""))
    return re.compile("|".join(parts))


CONCEPTS = {name: _compiled(stems) for name, stems in LEXICON.items()}


WORD = re.compile(rf"[\w'-]+|{CJK.pattern}")


def _near(sentence: str, first: str, second: str, gap: int, ordered: bool) -> bool:
    """Two concepts with at most `gap` words between them, in either order or (`ordered`)
    the first first."""
    ends = [(m.start(), m.end()) for m in CONCEPTS[first].finditer(sentence)]
    for other in CONCEPTS[second].finditer(sentence):
        for start, end in ends:
            if ordered and start > other.start():
                continue
            left, right = (end, other.start()) if start < other.start() else (other.end(), start)
            if len(WORD.findall(sentence[left:right])) <= gap:
                return True
    return False


# how close each concept of a rule must be to the next: (words between at most, in the
# order given); None: anywhere in the clause
ANYWHERE = None
NEAR = (2, False)
ORDERED = (2, True)  # near, and in the order given
ADJACENT = (0, True)  # in the order given, nothing between


def _met(sentence: str, needs: tuple[str, ...], near: tuple[int, bool] | None) -> bool:
    if not all(CONCEPTS[name].search(sentence) for name in needs):
        return False
    return near is None or all(
        _near(sentence, a, b, *near) for a, b in zip(needs, needs[1:], strict=False)
    )


# class: (concepts that meet in one clause, how close); any one alternative speaks for it
RULES: dict[str, tuple[tuple[tuple[str, ...], tuple[int, bool] | None], ...]] = {
    "Complaint": ((("authority",), ANYWHERE), (("negation", "consent"), NEAR)),
    "Unsubscribe": (
        (("remove", "channel"), ANYWHERE),
        (("remove", "send"), NEAR),
        (("negation", "send", "more"), NEAR),
    ),
    "Not Now": (
        (("negation", "now"), NEAR),
        (("negation", "later"), NEAR),
        (("recontact", "later"), ANYWHERE),
        (("until", "later"), NEAR),
        (("priorities",), ANYWHERE),
    ),
    "Not A Fit": (
        (("negation", "for_us"), ADJACENT),  # "not for us"; "it didn't work for us" is not
        (("need", "negation"), NEAR),
        (("already", "provider"), ORDERED),  # "we already have an agency"
    ),
}


def concept_classes(text: str) -> dict[str, str]:
    """{class: the clause that speaks for it}, the first such clause of each class."""
    found: dict[str, str] = {}
    for sentence in SENTENCE.findall(fold(text)):
        said = {name for name, rules in RULES.items() if any(_met(sentence, *r) for r in rules)}
        if "Not Now" in said:
            said.discard("Not A Fit")  # "we don't need it right now": a time qualifies it
        for name in said:
            found.setdefault(name, sentence.strip())
    return found
