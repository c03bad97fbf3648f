"""Human replies in the framework's classes, by rules a reviewer can read.

Opt-out and complaint language is searched first, with wide patterns (high recall), and
wins over everything else: a "yes, but please remove me" is an Unsubscribe. Each other
class scores by its patterns; the best wins when it is clear, and a low or contested
score is Unknown, which routes to a human."""

import re
from dataclasses import dataclass

from assets.inbound.reply_concepts import concept_classes

# (class, patterns); matched case-insensitively against the stripped reply
OPT_OUT = (
    r"\bunsubscrib",
    r"\bremove (me|us|my|our)\b",
    r"\btake (me|us|my \w+|our \w+) off\b",
    r"\b(stop|quit|cease) (e-?mailing|emailing|contacting|messaging|writing|sending|spamming)\b",
    r"\b(do not|don'?t|never|please don'?t) (contact|e-?mail|email|message|write to|call) (me|"
    r"us)\b",
    r"\bno (more|further) (e-?mails?|emails?|messages|contact)\b",
    r"\bopt(ed)? ?(me )?out\b",
    r"^\s*(stop|unsubscribe|remove|end|cancel)\s*[.!]*\s*$",
    r"\bleave (me|us) alone\b",
    r"\b(delete|erase) (my|our) (data|details|information|email)\b",
    r"\bnot (to )?(contact|email|e-?mail) (me|us) (again|any ?more)\b",
    r"\b(abmelden|austragen|désabonner|desabonner|désinscri|darme de baja|darse de baja|cancelar "
    r"(la )?suscripci)",
    r"\bwant to (be )?(removed|unsubscribed)\b",
    r"\b(do not|don'?t|never) (wish|want) to (receive|hear)\b",
    r"\b(would|'d) (rather|prefer) not (to )?(receive|get|hear|be (contacted|e-?mailed))\b",
    # "do not write again", "don't send any more of these", "please stop this", "cease all
    # communication", "remove this address from your list", a closing "Stop."
    r"\b(do not|don'?t|never) (write|e-?mail|email|contact|message|call)( to)?"
    r"( me| us| this (e-?mail |email )?address| here)? (again|any ?more)\b",
    r"\b(do not|don'?t) send (me |us )?(any ?(more|further)|these|this stuff)\b",
    r"\bplease (do not|don'?t) follow up\b(?!\s+(until|till|before|after|for|in|this|next)\b)",
    r"\b(please )?stop (this|these|it)\s*([.!]|$)",
    r"\bcease (all |any )?(communications?|contact|correspondence|e-?mails?|emails?)\b",
    r"\bremove (this|that|the|my|our) (e-?mail |email )?(address|contact|details)\b",
    r"\bfrom your (mailing |e-?mail |email )?(list|database|system|records|crm)\b",
    r"(^|[.!?]\s+)(please |just )?(stop|unsubscribe|remove me)\s*[.!]*\s*$",
    r"\b(stopped|stop|quit|cease) (e-?mailing|emailing|contacting|messaging|writing to|sending)\b",
    r"\b(shouldn'?t|should not|does not|doesn'?t) (be|belong) on your (mailing )?(list|database)\b",
    r"\byour (mailing |e-?mail |email )?list\b.{0,40}\bremove\b|\bremove\b.{0,40}\byour "
    r"(mailing |e-?mail |email )?list\b",
    r"^\s*(enough|no more)\s*[.!]*\s*(no more)?[.!]*\s*$",
    r"^\s*(please,? )?no more( (please|thanks|thank you|of (these|this|them)))?\s*[.!]*\s*$",
    r"\b(do not|don'?t) (want|wish) (to (receive|get) )?(these|your|any (more|further)|"
    r"anymore|more) (e-?mails?|emails?|messages|marketing)\b",
    r"\b(delete|erase|remove) (all )?(of )?(my|our) (personal )?(data|details|information|"
    r"contact details|e-?mail address|email address)\b",
    r"\bno longer (wish|want) to (receive|hear|be contacted)\b",
    # German, French, Spanish, Italian, Dutch, Portuguese, Polish, Swedish
    r"\b(keine|nicht mehr) (weiteren? )?(e-?mails?|mails?|nachrichten|werbung|kontakt)",
    r"\b(nicht mehr|nie wieder) (kontaktieren|anschreiben|schreiben|anrufen)",
    r"\b(schreiben|kontaktieren|mailen|anrufen) sie (mir|mich|uns) (bitte )?(nicht mehr|nie "
    r"wieder)\b",
    r"\b(entfernen|löschen|streichen) sie (mich|meine)|\baus (ihrem|dem) verteiler\b",
    r"\b(désinscri|desinscri|désabonn|desabonn)",
    r"\bne (plus|jamais) (me |m'|m’)?(contacter|écrire|ecrire|recevoir|envoyer)",
    r"\bne (souhaite|veux|désire|desire) (plus|pas) (recevoir|être contacté|etre contacte)",
    r"\b(retirez|supprimez|enlevez)[- ]moi\b|\bplus de (mails|e-?mails|courriels|messages)\b",
    r"\b(dar(me|se)? de baja|cancelar (la |mi )?suscripci|desuscrib)",
    r"\bno (me )?(contacten|escriban|envíen|envien|manden)\b|\b(eliminen|borren) mi",
    r"\bno (quiero|deseo) (recibir|que me (escriban|contacten|envíen|envien))",
    r"\b(disiscriv|cancellami|cancellatemi|rimuovetemi|toglietemi)",
    r"\bnon (scrivetemi|contattatemi|mandatemi|inviatemi|scrivermi|contattarmi|mi scrivete)\b",
    r"\bnon (voglio|desidero) (più )?(ricevere|essere contattat)",
    r"\b(afmelden|afgemeld|uitschrijven|uitgeschreven)\b|"
    r"\bgeen (e-?mails?|berichten|mails) meer\b|\bverwijder (mij|me|mijn)\b",
    r"\b(descadastr|cancelar (a |minha )?inscri)",
    r"\bn[aã]o (quero|desejo) (mais )?receber\b|\bparem de (me )?(enviar|contactar|mandar)|"
    r"\bremova[- ]me\b",
    r"\b(wypisz|wypisać|wypisac|rezygnuj)",
    r"\bnie (chcę|chce) (więcej |wiecej )?(otrzymywać|otrzymywac|dostawać|dostawac)|\busu[ńn] "
    r"mnie\b",
    r"\b(avregistrera|avsluta prenumeration|avprenumerera)",
    r"\bsluta (skicka|maila|mejla|kontakta)|\bta bort mig\b|\bvill inte (ha|få) (fler|mer)",
    # Japanese has no spaces between words: no word boundaries
    r"(配信停止|配信を停止|購読解除|購読を解除|登録解除|送らないで|送信しないで|メール不要|解除してください)",
)
COMPLAINT = (
    r"\bspam(ming|med)?\b",
    r"\breport(ing|ed)? (you|this|your)\b",
    r"\bharass",
    r"\bhow did you get (my|our|this) (e-?mail|address|details|number)\b",
    r"\bwhere did you get (my|our|this)\b",
    r"\bwho gave you (my|our|this) (e-?mail|email|address|details|number|contact)",
    r"\b(gdpr|pecr|ico|can-?spam|data protection)\b",
    r"\bnever (signed|opted|subscribed|agreed|consented)\b",
    r"\bdid ?n[o']t (sign up|opt in|consent|agree|ask)\b",
    r"\b(illegal|unlawful|unsolicited)\b",
    r"\babuse\b",
    r"\b(i|we)('ll| will| shall| am going to| are going to|'m going to|'re going to|'m|'re| am|"
    r" are)? (be )?complain|\bcomplain(ing|ed)? to\b|\b(formal|file a|make a|lodge a|raise "
    r"a) complaint|\bthis is a complaint\b|\bcomplaint (about|regarding|against) (you|your|"
    r"this)\b",
    r"\bnever (gave|given) (you )?(my |our )?(permission|consent)\b",
    r"\bwhy (are|do|did) you (keep )?(e-?mailing|emailing|contacting|messaging|writing to) (me|"
    r"us)\b",
    r"\bbreach\b",
    r"\b(belästig|belaestig|beschwer|abmahnung|dsgvo)|\bunerw(ü|ue)nschte (werbung|e-?mails?|"
    r"nachrichten)",
    r"\bwoher haben sie (meine|unsere)",
    r"\b(harcèlement|harcelement|plainte|rgpd)\b",
    r"\bo[uù] avez[- ]vous (eu|obtenu|trouvé|trouve) (mon|mes|notre)",
    r"\b(acoso|queja formal|denuncia)\b|\bde d[oó]nde (sacaron|obtuvieron|tienen) mi",
    r"\b(molestie|molestia|reclamo formale|garante della privacy)\b",
    r"\b(klacht|ongewenste e-?mail)\b|\bwaar heeft u mijn",
    r"\b(reclamação|reclamacao|assédio|assedio|lgpd)\b",
    r"\b(skarga|nękani|nekani|rodo)\b",
    r"\b(klagomål|klagomal|trakasser)",
    r"(迷惑メール|スパム|苦情)",
)
CLASSES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Booked",
        (
            r"\b(i'?ve|i have|we'?ve|we have|just) booked\b",
            r"\bbooked (a|the|in|for)\b",
            r"\bsee you (on|at|then|monday|tuesday|wednesday|thursday|friday|next)\b",
            r"\b(meeting|call|slot|appointment) (is )?(confirmed|booked|scheduled)\b",
            r"\b(confirmed|scheduled) (for|the call|a call|the meeting)\b",
            r"\baccepted (your|the) (invite|invitation)\b",
            r"\bin (the|my|our) (diary|calendar)\b",
        ),
    ),
    (
        "Out Of Office",
        (
            r"\bout of (the )?office\b",
            r"\bon (annual |parental |maternity |paternity )?leave\b",
            r"\b(i am|i'?m) (away|travelling|traveling|off) (until|till|from)\b",
            r"\bback (in the office )?on\b",
            r"\breturn(ing)? (to the office )?on\b",
            r"\blimited access to (e-?mail|email)\b",
            # German, French, Spanish, Italian, Dutch, Portuguese, Polish, Swedish, Japanese
            r"\b(abwesend|nicht im b(ü|ue)ro|au(ß|ss)er haus|im urlaub)\b",
            r"\b(absente?s? (du bureau|jusqu)|en cong(é|e)s?\b|de retour le\b)",
            r"\b(fuera de la oficina|de vacaciones|estar(é|e) (ausente|fuera)|de vuelta el)\b",
            r"\b(fuori (ufficio|sede)|in ferie|assente (dal|fino)|di ritorno il)\b",
            r"\b(afwezig|niet op kantoor|met vakantie|weer aanwezig)\b",
            r"\b(fora do escrit(ó|o)rio|de f(é|e)rias|ausente at(é|e))\b",
            r"\b(poza biurem|na urlopie|nieobecn)",
            r"\b(p(å|a) semester|fr(å|a)nvarande|ej p(å|a) kontoret)\b",
            r"(不在にして|休暇中|外出中|出張中|休業)",
        ),
    ),
    (
        "Referral",
        (
            r"\b(speak|talk|reach out|get in touch) (to|with) (my|our) (colleague|partner|manager|"
            r"practice manager|operations|office manager|business partner|co-?founder|director)\b",
            r"\b(contact|email|e-?mail|try) (my|our) (colleague|partner|manager|practice manager|"
            r"office manager)\b",
            r"\b(the )?(right|best|better) (person|contact) (is|would be|to speak to|to talk to)\b",
            r"\b(better off|best to|should) (speak|talk)(ing)? (with|to)\b",
            r"\b(handles|looks after|is responsible for|deals with|manages) (this|that|our|"
            r"bookings|marketing|the website|it)\b",
            r"\b(i'?ve|i have) (cc'?d|copied|forwarded|passed)\b",
            r"\bforward(ed|ing)? (this|your (email|message|note)) to\b",
            r"\bcc'?d\b",
            r"\bnot the (right|best) (person|contact)\b|\bnot me\b|\byour best bet is\b|"
            r"\b(i'?m|i am) not the (one|person) who\b",
            r"\bplease (contact|email|reach|speak to)\s+[A-Z]?[a-z]+\b.*@",
        ),
    ),
    (
        "Not Now",
        (
            r"\bnot (right )?now\b",
            r"\bnot (at )?the (right )?(moment|time)\b",
            r"\bnot this (week|month|quarter|year|season|term|time)\b",
            r"\bnot a priority\b",
            r"\b(maybe|perhaps|possibly|try( me| us)?( again)?|ask (me|us) again|come back|get "
            r"back to (me|us)|check back|circle back|revisit|reconnect|follow up) (in|after|next|"
            r"later|around|early|towards|at the end of|once)\b",
            r"\bnext (quarter|year|month|spring|summer|autumn|fall|winter)\b",
            r"\b(too|very|really) busy\b",
            r"\b(later|end|start) (in|of) the year\b",
            r"\bafter (christmas|the holidays|easter|the summer|our (busy|peak) season|the new "
            r"year|january|february|march|april)\b",
            r"\b(timing|time) (is|isn'?t) (not )?(great|right|good)\b",
            r"\bin (a few|a couple of|two|three|six|\d+) (weeks|months)\b",
            r"\buntil (january|february|march|april|may|june|july|august|september|october|"
            r"november|december|next (week|month|year|quarter)|the new year|spring|summer|autumn|"
            r"the autumn|fall|winter)\b",
            r"\b(bad|poor|wrong) timing\b|\btry (us |me )?again (in|after|next)\b",
            r"\b(derzeit|momentan|aktuell|im moment|jetzt|gerade|jetzt gerade) (nicht|"
            r"kein)|\b(n(ä|ae)chstes) (jahr|quartal)\b|\bvielleicht (im|in|nach|n(ä|ae)chst)",
            r"\bpas (pour le moment|maintenant|en ce moment)\b|"
            r"\b(l'ann(é|e)e|le trimestre) prochain",
            r"\b(ahora no|por ahora no|m(á|a)s adelante)\b|\bel pr(ó|o)ximo (a(ñ|n)o|trimestre)\b",
            r"\bnon (ora|adesso|in questo momento)\b|\b(il prossimo anno|pi(ù|u) avanti)\b",
            r"\bnu (even )?niet\b|\bop dit moment niet\b|\bvolgend (jaar|kwartaal)\b",
            r"\bagora n(ã|a)o\b|\bneste momento n(ã|a)o\b|\bpr(ó|o)ximo ano\b",
            r"\bnie teraz\b|\bw tej chwili nie\b|\bw przysz(ł|l)ym roku\b",
            r"\binte (just )?nu\b|\bn(ä|a)sta (å|a)r\b",
            r"((今|現在)は(必要|検討して)?(ない|ありません|いません)|来年|来期|また改めて)",
        ),
    ),
    (
        "Not A Fit",
        (
            r"\bnot (a|the right) (fit|match)\b",
            r"\bnot (relevant|for us|something we need|applicable|interested)\b",
            r"\b(isn'?t|is not|wouldn'?t be|won'?t be) (really |quite )?(for us|for me|a fit)\b",
            r"\b(isn'?t|is not) (something|anything) (we|i) (need|want|use)\b",
            r"\bwe'?re (a|an) (franchise|chain)\b|\b(decided|made|handled) (at|by) (head office|"
            r"our head office|hq|group level)\b",
            r"\b(we|i) (don'?t|do not) (need|take|use|offer|do) (this|that|online|bookings|"
            r"appointments|it)\b",
            r"\b(already|we'?re) (have|using|use|happy with|sorted|covered|locked in)\b",
            r"\bno need\b",
            r"\b(doesn'?t|does not) (apply|make sense) (to|for) us\b",
            r"\bwe'?re (a|an) \w+ (franchise|chain)\b",
            r"\b(head office|hq|headquarters|our group|the group) (handles|decides|manages|deals "
            r"with|takes care of|runs)\b",
            r"\bnot (something|anything) (we|i) (decide|choose|control|buy)\b",
            r"\b(closing|closed|sold|retiring|shutting)\b",
            r"\bno thanks?\b|\bno,? thank you\b",
            r"\b(signed|signed up|working|gone|going|partnered) with (another|a different|an?"
            r" other) (agency|provider|company|supplier|partner|firm)\b",
            r"\bno (online )?booking (page|system|form)\b",
            r"\bkein (interesse|bedarf)\b|\bnicht interessiert\b|\bnein,? danke\b",
            r"\bpas (int(é|e)ress(é|e)e?s?|besoin)\b|\bnon merci\b",
            r"\bno (me|nos) interesa\b|\bno,? gracias\b",
            r"\bnon (mi|ci) interessa\b|\bno,? grazie\b",
            r"\bgeen (interesse|behoefte)\b|\bnee,? dank(je|u)\b",
            r"\bn(ã|a)o (tenho|temos) interesse\b|\bn(ã|a)o,? obrigad",
            r"\bnie (jestem|jeste(ś|s)my) zainteresowan|\bnie,? dzi(ę|e)kuj",
            r"\binte intresserad\b|\bnej,? tack\b",
            r"(興味(は|が)?ありません|必要ありません|結構です)",
        ),
    ),
    (
        "Objection",
        (
            r"\b(too )?(expensive|costly|pricey)\b",
            r"\b(no|tight|limited) budget\b|\bbudget (is|'?s) (tight|gone|spent)\b",
            r"\b(don'?t|do not|haven'?t|have not) (have|got) (the|a|any) budget\b",
            r"\bhow (is|are) (this|you|that) (different|better)\b",
            r"\b(we|i) (tried|used) (something|this|a) (similar|like this|before)\b",
            r"\b(didn'?t|did not) work (for us|last time)\b",
            r"\b(tried|used|hired|paid) (consultants?|agencies|an agency|someone|people) "
            r"(before|already|last year)\b",
            r"\b(didn'?t|did not|never) (help|change|make a difference)\b",
            r"\bnot (convinced|sure (it|this|that) would|sure about)\b",
            r"\b(sounds|feels|looks) like (a )?(sales|pitch|scam|gimmick)\b",
            r"\bwhat'?s the catch\b",
            r"\b(don'?t|do not|can'?t|cannot) see the (point|value|need)\b|\btoo small (for|to)\b",
            r"\b(sceptical|skeptical|doubt)\b",
            r"\bour (bookings?|website|site|booking (page|system)) (is|are|works|work|is working|"
            r"runs) (fine|well|ok|okay|good|great)\b",
            r"\bnothing (changed|came of it|improved|happened)\b",
            # "no one has complained about it": the page is fine as it is
            r"\b(never|nobody|no one|not once)( has| have| had)? (complained|had (a |any )?"
            r"complaints?)\b|\bno complaints\b",
        ),
    ),
    (
        "Question",
        (
            r"\bhow much\b",
            r"\bwhat (does|do|would|is|are) (it|this|the|you)\b",
            r"\bhow (does|do|would|long)\b",
            r"\b(can|could|would) you (send|share|explain|tell|clarify)\b",
            r"\bwho (are you|is this|else)\b",
            r"\bwho (would|will|does|is going to) (do|run|carry out|lead|handle|be doing)\b",
            r"\bwhat('?s| is) (included|involved|the cost|the price)\b",
            r"\b(is there|are there|do you have) (a|any)\b.*\?",
            r"\bwhich\b.*\?",
            r"^\s*(what|how|is|are|can|could|do|does|when|where|which|will|would)\b[^?\n]{3,}\?",
            # German, French, Spanish, Italian, Dutch: a question word opening a question
            r"^\s*¿?(wie|was|wann|warum|wo|welche[rs]?|gibt es|kann|k(ö|oe)nnen|combien|"
            r"comment|quand|pourquoi|quel(le)?s?|est-ce|qu'est-ce|cu(á|a)nto|c(ó|o)mo|cu(á|a)ndo|qu(é|e)|"
            r"quanto|come|quando|perch(é|e)|hoeveel|hoe|wanneer|wat)\b[^?\n]{3,}\?",
        ),
    ),
    (
        "Interested",
        (
            r"^\s*(yes|yep|yeah|sure|great|perfect|absolutely|definitely)\b",
            r"\b(that|this|it) would be (great|helpful|useful|good)\b",
            r"^\s*(could|might|may) be (useful|helpful|interesting|worth (a look|it))\b",
            r"\byes,? (that|please|it|we|i)\b",
            r"\b(sounds|looks) (good|great|interesting|useful|helpful)\b",
            r"\b(i'?m|we'?re|i am|we are) (interested|keen|open to)\b",
            r"\b(please|pls) (do )?(send|share|go ahead)\b",
            r"\b(keen|eager|curious) to (see|hear|know|learn|chat|talk)\b",
            r"\bfire away\b",
            r"\bsend (it|them|the checklist|that) (over|across|through)\b",
            r"\b(go on|ok|okay|alright|fine),? (then,? )?(send|share|show)\b",
            r"\bhappy to (chat|talk|have a (call|look)|take a look|hear more)\b",
            r"\blet'?s (talk|chat|do it|set up|arrange|book)\b",
            r"\b(would|'?d) (love|like) to (see|hear|talk|chat|learn)\b",
            r"\bworth a (chat|call|look)\b",
            r"\b(can|could|shall) we (set up|book|arrange|schedule|have|do) a "
            r"(quick |short |brief )?(call|chat|meeting)\b",
            r"\bwhat (times?|day|days) (work|suit|are good)\b",
            r"\b(go|going) ahead\b",
            # a negated form ("kein Interesse", "no me interesa") is Not A Fit, never this
            r"\b(gerne?|klingt (gut|interessant)|schicken sie (mir|"
            r"uns))\b|\b(ich bin|wir sind) interessiert\b",
            r"\b(avec plaisir|volontiers)\b|(?<!pas )\b(ç|c)a (m'|"
            r"nous )int(é|e)resse|\benvoyez[- ](le|la|les|moi|nous)\b",
            r"(?<!no )\b(me|nos) interesa\b|\b(suena (bien|interesante)|(me|nos) parece bien|"
            r"con gusto)\b|\b(env(í|i)e(lo|melo)|m(á|a)ndamelo)\b",
            r"(?<!non )\b(mi|ci) interessa\b|\b(mi|ci) (farebbe|farà) piacere\b|\b(volentieri|"
            r"sembra interessante)\b|\b(mandatemi|inviatemi|mandami|inviami)\b",
            r"(?<!nicht )(?<!niet )(?<!pas )\binteressant\b|"
            r"\b(graag|klinkt (goed|interessant)|stuur (het|maar|"
            r"me))\b|\b(ik ben|wij zijn) ge(ï|i)nteresseerd\b",
            r"(?<!n(ã|a)o )\b(me|nos) interessa\b|\b(com certeza|"
            r"parece interessante|pode (enviar|mandar))\b",
            r"\b(ch(ę|e)tnie|jestem zainteresowan)",
            r"\b(g(ä|a)rna|l(å|a)ter (bra|intressant)|jag (ä|a)r intresserad)\b",
            r"(興味があります|ぜひ|送ってください|詳しく知りたい)",
        ),
    ),
)
COMPILED_OPT_OUT = tuple(re.compile(p, re.I | re.M) for p in OPT_OUT)
COMPILED_COMPLAINT = tuple(re.compile(p, re.I | re.M) for p in COMPLAINT)
COMPILED = tuple(
    (name, tuple(re.compile(p, re.I | re.M) for p in patterns)) for name, patterns in CLASSES
)
MIN_CONFIDENCE = 0.5
# the classes that stop contact: an opt-out and a complaint
STOP_CLASSES = frozenset({"Unsubscribe", "Complaint"})


@dataclass(frozen=True)
class ReplyClass:
    reply_class: str
    confidence: float
    evidence: str  # the words that decided it


def _hits(patterns: tuple[re.Pattern[str], ...], text: str, concept: str | None) -> list[str]:
    """A class's evidence: the words each of its patterns finds, and the clause its concepts
    meet in (`reply_concepts`), if any."""
    return [m.group(0) for p in patterns if (m := p.search(text))] + ([concept] if concept else [])


def classify_words(text: str) -> ReplyClass:
    if not text.strip():
        return ReplyClass("Unknown", 0.0, "no new text above the quoted original")
    concepts = concept_classes(text)
    complaint = _hits(COMPILED_COMPLAINT, text, concepts.get("Complaint"))
    opt_out = _hits(COMPILED_OPT_OUT, text, concepts.get("Unsubscribe"))
    if complaint:
        return ReplyClass("Complaint", min(0.99, 0.8 + 0.1 * len(complaint)), complaint[0])
    if opt_out:
        return ReplyClass("Unsubscribe", min(0.99, 0.85 + 0.05 * len(opt_out)), opt_out[0])
    scores = []
    for rank, (name, patterns) in enumerate(COMPILED):
        hits = _hits(patterns, text, concepts.get(name))
        if hits:
            scores.append((len(hits), -rank, name, hits[0]))
    if not scores:
        return ReplyClass("Unknown", 0.2, "no class's words")
    scores.sort(reverse=True)
    best_hits, _, best, words = scores[0]
    runner_up = scores[1][0] if len(scores) > 1 else 0
    # Question is the weakest signal: any other class with as many words wins over it
    if best == "Question" and len(scores) > 1 and scores[1][0] == best_hits:
        best_hits, _, best, words = scores[1]
    confidence = round(min(0.95, 0.55 + 0.15 * best_hits - 0.2 * runner_up), 2)
    if confidence < MIN_CONFIDENCE:
        return ReplyClass(
            "Unknown", confidence, f"unclear: {best} ({words!r}) against another class"
        )
    return ReplyClass(best, confidence, words)
