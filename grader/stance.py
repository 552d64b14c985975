"""Stance: is a sentence asserting a practice, or negating, planning, hedging, recommending it,
or leaving it to someone else?

Grammar shared by the deterministic checks (a fact stated in prose counts only when asserted)
and the offline judge (which readings support or defeat a criterion).

"We plan to enable MFA" mentions MFA but is not evidence that MFA is enabled; this module
tells the two apart. The word lists are grammar, not control knowledge, so they live here
rather than in knowledge/.
"""

from __future__ import annotations

import re
from typing import Literal

Modality = Literal["asserted", "negated", "planned", "hedged", "recommended", "delegated", "excepted", "qualified"]

# Clause boundaries: negation in one clause does not reach the next.
_CLAUSE = re.compile(r"[;:,|()]|\b(?:but|however|whereas|while|although|though|except|unless|since)\b", re.I)

_NEGATION = re.compile(
    r"\b(?:not|no|never|none|neither|nor|without|cannot|can't|don't|doesn't|didn't|isn't|"
    r"aren't|wasn't|weren't|won't|haven't|hasn't|hadn't|lack(?:s|ing)?|absent|disabled)\b|n't\b",
    re.I,
)
# "not only", "no later than", "no longer ... but" are not negations of the practice.
_NOT_NEGATION = re.compile(r"\bnot only\b|\bno later than\b|\bno more than\b|\bno less than\b", re.I)
# A rule that refuses what comes without the practice enforces it: "bucket policies deny
# PutObject without aws:kms encryption".
_ENFORCED_WITHOUT = re.compile(
    r"\b(?:den(?:y|ies|ied)|reject(?:s|ed)?|block(?:s|ed)?|refus(?:e|es|ed)|prevent(?:s|ed)?|fail(?:s|ed)?)\b"
    r"[^.;]{0,60}?\b(without)\b", re.I)
# A purchase plan is not a plan to act ("a 3-year Compute Savings\n Plan on the baseline").
_NOT_A_PLAN = re.compile(
    r"\b(?:savings|support|pricing|price|payment|business|enterprise|developer|data)\s+plans?\b"
    r"|\bnext\s+review\b[^|.;\n]*", re.I)  # a document's "Next review: February next year"
# "Nothing needs to be done" is not work still to come.
_NO_NEED = re.compile(r"\b(?:nothing|no\s+\w+)\s+(?:needs|need|has|have)\s+to\s+be\b", re.I)

_PLANNED = re.compile(
    r"\b(?:(?<!support\s)(?<!pricing\s)(?<!savings\s)plan(?:s|ned|ning)?\s+(?:to|on)|(?:(?<=^)|(?<=[,;:(]\s)|(?<=\band\s)|(?<=\bthen\s)|(?<=\bso\s)|(?<=\bbut\s))(?:we|they|it|this)\s+will\s+(?:be\s+)?(?:enabl|implement|"
    r"introduc|adopt|roll|set|configur|defin|creat|build|add|start|begin|move|migrat|establish|"
    r"document|write|develop|deploy|look|consider|evaluat|turn)\w*|are\s+going\s+to|is\s+going\s+to|"
    r"intend(?:s|ed)?\s+to|aim(?:s|ing)?\s+to|on\s+(?:our|the)\s+roadmap|(?:is|are)\s+planned\s+(?:for|in)|"

    r"next\s+(?:quarter|year|month|sprint|phase|release|fiscal)|in\s+the\s+(?:near\s+)?future|"
    r"future\s+(?:state|phase|release)|not\s+yet|yet\s+to\s+be|to\s+be\s+(?:enabled|implemented|"
    r"configured|defined|introduced|rolled\s+out|established|documented|written|created|added|completed|"
    r"finali[sz]ed|drafted|done|agreed|implemented)|being\s+(?:rolled\s+out|"
    r"implemented|planned|evaluated|considered|drafted)|under\s+(?:evaluation|consideration|review)|"
    r"work\s+in\s+progress|by\s+(?:q[1-4]|the\s+end\s+of)|will\s+be\s+(?:asked|briefed|informed|notified|told|shown|"
    r"given|presented|walked\s+through|trained|consulted|invited)|(?:would|will)\s+like\s+to|hope\s+to|"
    r"eventually|once\s+(?:budget|time)\s+allows|to\s+be\s+(?:decided|confirmed|agreed|"
    r"set|introduced|added|scheduled|"
    r"determined)|tbd|tbc|(?<!first\s)draft|pending|under\s+discussion|being\s+discussed|(?:on|in)\s+(?:the|our)\s+(?:\w+\s+)?backlog|backlog\s+items?)\b",
    re.I,
)
# A later phase of the engagement: planned too, but only where it speaks of the practice
# itself (its clause), since "further savings in phase 2" may close a sentence about savings made.
_LATER_PHASE = re.compile(
    r"\b(?:(?:in|for|during|part\s+of)\s+(?:the\s+)?(?:phase|stage|wave)\s*-?\s*(?:2|3|two|three|ii)|(?:later|next|second|"
    r"follow[-\s]?up|future)\s+(?:phase|stage|wave|iteration)|post[-\s]go[-\s]live|after\s+go[-\s]live|"
    r"(?:is|are)\s+foreseen|(?:is|are)\s+scheduled\s+for|will\s+follow)\b",
    re.I,
)

# Hedges withhold commitment to the practice itself: not evidence that it is in place.
# "As fast as possible" says how quickly something is done, not whether it is.
HEDGED = re.compile(
    r"\b(?:might|could|where(?:ver)?\s+(?:possible|feasible|practical)|if\s+(?:possible|feasible|"
    r"practical|needed|time\s+permits|the\s+customer\s+(?:wants|asks|requests|agrees|supports))|when\s+(?:possible|"
    r"feasible|practical)|(?<!\bsoon\s)(?<!\bfast\s)(?<!\bquickly\s)(?<!\brapidly\s)(?<!\bearly\s)(?<!\bmuch\s)as\s+(?:far\s+as\s+)?(?:possible|feasible|practical)|try\s+to|tries\s+to|trying\s+to|"
    r"attempt(?:s)?\s+to|ideally|(?:are|is)\s+encouraged|optional(?:ly)?|"
    r"may\s+(?:or\s+may\s+not|be\s+(?:enabled|used|configured|set|applied|turned|sent|exported|"
    r"defined|collected|reviewed|documented|in\s+place|considered))|depend(?:s|ing)\s+on\s+the\s+"
    r"(?:customer|engagement|project)|case[-\s]by[-\s]case|ad[-\s]hoc|informal(?:ly)?|best[-\s]effort|"
    r"we\s+believe|probably|whatever\s+(?:way|the\s+customer)|if\s+asked|on\s+request(?!\s+(?:count|rate|latency|volume|per|size))|consider\s+using|"
    r"(?:where|when|if)\s+(?:(?:the|a|an)\s+)?(?:[\w-]+\s+){0,3}supports?\s+it|(?:where|when|if)\s+supported|"
    # the practice holds on someone else's condition: "Multi-AZ where the customer's budget permits",
    # "through the pipeline by default unless the customer opts out", "where the customer provides one"
    r"(?:where|when|if|unless|as\s+long\s+as|provided\s+that)\s+(?:the\s+|a\s+|an\s+)?(?:customer|client|budget|"
    r"third[- ]party|vendor|merchant|provider|partner|service|endpoint)(?:'s|’s)?\s+(?:[\w-]+\s+){0,3}?"
    r"(?:permits?|allows?|agrees?|wants?|requests?|supports?|provides?|asks?|opts?\s+(?:out|in)|approves?|accepts?|"
    r"pays?|funds?|chooses?|prefers?)|by\s+default\s+unless|as\s+appropriate|"
    r"can\s+be\s+(?:enabled|added|configured|turned\s+on|set\s+up|activated|switched\s+on|introduced)\b(?!\s+by\s+(?:the\s+)?(?:customer|client)))\b",
    re.I,
)
_PARENTHESIS = re.compile(r"\([^()]*\)")
# "further savings as they modernise in phase 2": more to come, after what is already done.
_FURTHER_WORK = re.compile(r"\b(?:further|additional|more)\s+(?:\w+\s+){0,12}?(?:in|during|for)\s+(?:the\s+)?phase", re.I)

# Left to someone else: the customer, the client, AWS, "their own team". Not the partner's
# practice, so not evidence of it (controls.md: "left to someone else ... is not_met").
_DELEGATED = re.compile(
    r"\b(?:(?:is|are|was|were|remains?|stays?)\s+(?:the\s+|a\s+)?(?:customer|client|aws|amazon)(?:'s|’s|s')?\s+"
    r"(?:own\s+)?(?:respons[ai]bility|decision|call|choice|task|job|concern)"
    r"|(?:customer|client|aws|amazon)(?:'s|’s)?\s+(?:own\s+)?respons[ai]bility"
    r"|(?:is|are|remains?|stays?)\s+(?:\w+\s+)?(?:owned|managed|set|configured|maintained|run|operated|decided|defined)"
    r"\s+(?:\w+\s+)?by\s+(?:the\s+)?"
    r"(?:customer|client)(?:'s|’s)?\s+(?:own\s+)?(?:[\w-]+\s+){0,2}(?:team|department|staff|noc|soc|it|finance)"
    r"|(?:customer|client|aws|amazon)\s+(?:is|are|was|were|remains?)\s+responsible"
    r"|(?:left|leave|leaves|delegated|passed)\s+to\s+(?:the\s+)?(?:customer|client|aws)"
    # handing the practice over, not a deliverable ("the KPI sheet is handed over to the customer")
    r"|(?:responsibility|ownership|operations?|monitoring|it|this)\s+(?:is\s+|are\s+|was\s+|were\s+|gets\s+)?"
    r"handed(?:\s+over)?\s+to\s+(?:the\s+)?(?:customer|client|aws)"
    r"|(?:work|works|worked|follow|follows|followed|adopt|adopts|adopted)\s+(?:to\s+)?(?:the\s+)?(?:customer|client)(?:'s|’s)\s+own\b"
    r"|(?:can|could|may|might)\s+(?:later\s+)?be\s+(?:enabled|configured|set\s+up|turned\s+on|added|activated|"
    r"implemented|created|defined|decided|done|written|agreed)\s+by\s+(?:the\s+)?(?:customer|client)"
    r"|(?:handled|decided|done|written|covered)\s+by\s+(?:the\s+)?(?:customer|client)(?:'s|’s)?"
    r"(?!\s+(?:account|workload|environment|application|data))"
    r"|(?:handled|decided|written|covered)\s+by\s+[A-Z][\w-]*(?:'s|’s)\s+(?:own\s+)?(?:\w+\s+){0,2}"
    r"(?:team|department|staff)"
    r"|is\s+something\s+(?:the\s+)?[\w'’\s]{0,30}(?:own\s+)?(?:\w+\s+){0,2}team\s+(?:writes|does|handles|decides)"
    r"|(?:customer|client)s?\s+(?:decides?|chooses?|handles?|owns?)\s+(?:whether|if|how|when|on|the\s+(?:targets?|thresholds?))"
    r"|at\s+the\s+(?:customer|client)(?:'s|’s)\s+(?:discretion|request|option))\b",
    re.I,
)
# Recommended, advised or encouraged: not a practice in place (the guide rejects "should").
_RECOMMENDED = re.compile(
    r"\b(?:(?:is|are)\s+(?:strongly\s+|highly\s+)?(?:recommended|advised|advisable|suggested)"
    r"|we\s+(?:strongly\s+|always\s+)?(?:recommend|advise|suggest)"
    r"|(?:recommend(?:ed|s)?|advised?|suggested)\s+to\s+(?:the\s+)?(?:customer|client)"
    r"|(?:recommendation|best\s+practice)\s+(?:is|would\s+be)\s+to)\b",
    re.I,
)
# Qualifiers assert the practice but not everywhere: "mostly in KMS", "usually reviewed".
_QUALIFIED = re.compile(
    r"\b(?:mostly|largely|partly|partially|generally|typically|usually|normally|in\s+most\s+cases|"
    r"most\s+of|some\s+(?:of\s+)?(?:our\s+|the\s+)?(?:customers|engagements|projects|teams|workloads|"
    r"accounts|services)|sometimes|occasionally|not\s+always|tend\s+to|although\s+some|except\s+(?:for\s+)?some|"
    r"a\s+few|in\s+some\s+cases|likely)\b",
    re.I,
)
# An exception that narrows the scope: the practice holds, but not everywhere it must
# ("except the legacy accounts", "production excluded during the migration", "staging only").
_EXCEPTED = re.compile(
    r"\b(?:except(?:ing)?\s+(?:for\s+)?(?:the\s+)?(?:legacy|production|prod|old|existing|shared|management|"
    r"root|payer|pilot|\w+\s+(?:accounts?|environments?|tiers?|subnets?|regions?|workloads?))|"
    r"excluding\s+(?:the\s+)?\w+|with\s+the\s+exception\s+of|"
    r"(?:is|are|was|were|remains?)\s+(?:temporarily\s+)?(?:excluded|exempt(?:ed)?)\s+from|"
    r"(?:production|prod)\s+(?:is\s+|was\s+)?(?:excluded|out\s+of\s+scope|not\s+(?:yet\s+)?covered)|"
    r"(?:staging|non-?prod(?:uction)?|dev(?:elopment)?|test)\s+(?:environments?\s+)?only|"
    r"only\s+(?:in|for|on)\s+(?:the\s+)?(?:staging|non-?prod(?:uction)?|dev(?:elopment)?|test)\b)",
    re.I,
)


# "... to every principal except the production Terraform role": the one identity a control lets
# through is how it is enforced, not a part of the scope left out.
_EXCEPTED_PRINCIPAL = re.compile(r"(?:\s+[\w-]+){0,3}?\s+(?:roles?|principals?|pipelines?|service-linked)\b", re.I)


def clause_around(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The clause of `sentence` containing [start, end)."""
    lo, hi = 0, len(sentence)
    for m in _CLAUSE.finditer(sentence):
        if m.end() <= start:
            lo = m.end()
        elif m.start() >= end:
            hi = m.start()
            break
    return lo, hi


_WORD = re.compile(r"[A-Za-z0-9'’-]+")
# Determiners negate the noun phrase that follows ("no MFA", "without a trail"), not the verb.
_DETERMINER_NEGATION = {"no", "without", "none", "neither", "lack", "lacks", "lacking", "absent"}
NOUN_SCOPE = 4  # words after "no"/"without" that it can negate
VERB_SCOPE_BEFORE = 6  # "we have not yet enabled MFA"
VERB_SCOPE_AFTER = 4  # "MFA is not enabled"


def _negates(clause: str, start: int, end: int, own: frozenset[str] = frozenset()) -> bool:
    """Does a negation in `clause` reach the cue at [start, end)?

    `own` are negation words the cue pattern itself contains ("no wildcards"): inside the
    cue those are its meaning; any other negation inside a long cue match still counts.
    """
    cleaned = _NOT_NEGATION.sub(lambda m: " " * len(m.group(0)), clause)
    for m in _ENFORCED_WITHOUT.finditer(cleaned):
        cleaned = cleaned[:m.start(1)] + " " * len(m.group(1)) + cleaned[m.end(1):]
    words = [(m.start(), m.end(), m.group(0).lower()) for m in _WORD.finditer(cleaned)]
    cue_first = next((i for i, w in enumerate(words) if w[1] > start), len(words))
    cue_last = max((i for i, w in enumerate(words) if w[0] < end), default=cue_first)
    for i, (w_start, _, word) in enumerate(words):
        if not _NEGATION.fullmatch(word) and not word.endswith(("n't", "n’t")):
            continue
        if start <= w_start < end:
            if word in own or i == cue_first:
                continue  # part of the cue's own meaning
            return True  # "Root is not restricted to ...": the cue's gap swallowed a "not"
        if word in _DETERMINER_NEGATION:
            if cue_first > i and cue_first - i <= NOUN_SCOPE:
                return True
        elif (i < cue_first and cue_first - i <= VERB_SCOPE_BEFORE) or (
            i > cue_last and i - cue_last <= VERB_SCOPE_AFTER
        ):
            return True
    return False


def own_negations(pattern: str) -> frozenset[str]:
    """Negation words written into a cue pattern itself."""
    return frozenset(w.lower() for w in re.findall(r"[A-Za-z']+", pattern) if _NEGATION.fullmatch(w))


# An instruction in a checklist or SOP ("Plan to have monitoring active before go-live"):
# it tells the reader what to do, it does not say the work is still to come.
IMPERATIVE_OPENING = re.compile(r"^\W*(?:plan|ensure|make\s+sure|consider|remember|decide|schedule)\b", re.I)


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group(0))


def classify(
    sentence: str, cue_span: tuple[int, int] | None = None, own: frozenset[str] = frozenset()
) -> Modality:
    """Classify how `sentence` speaks about the practice matched at `cue_span`.

    Negation counts only in the cue's clause, near the cue, and outside the cue itself (a cue
    may carry its own negation, e.g. "no wildcards"). Planning and hedging anywhere count.
    """
    if _PLANNED.search(_NOT_A_PLAN.sub(_blank, _NO_NEED.sub(_blank, sentence))):
        return "planned"
    start, end = cue_span or (0, 0)
    lo, hi = clause_around(sentence, start, end)
    if _negates(sentence[lo:hi], start - lo, end - lo, own):
        return "negated"
    # A parenthesis is an aside: "(acceptance is the customer's choice)" does not hand the
    # advising itself to the customer.
    main = _PARENTHESIS.sub(lambda m: " " * len(m.group(0)), sentence)
    if _LATER_PHASE.search(main) and not _FURTHER_WORK.search(main):
        return "planned"
    if _DELEGATED.search(main):
        return "delegated"
    if _RECOMMENDED.search(main):
        return "recommended"
    if HEDGED.search(sentence):
        return "hedged"
    if any(not _EXCEPTED_PRINCIPAL.match(main, m.end()) for m in _EXCEPTED.finditer(main)):
        return "excepted"
    if _QUALIFIED.search(sentence):
        return "qualified"
    return "asserted"


# Words that forbid a practice: "shared logins ... are forbidden", "long-term keys are banned".
_FORBIDDING = re.compile(
    r"\b(?:not|no|never|nor|nobody|no\s+one|none|nothing|neither|without|cannot|forbid\w*|block(?:s|ed)?|"
    r"den(?:y|ies|ied)|refus\w*|reject\w*|disabled|detect\w*|reports?|flag(?:s|ged)?|alerts?\s+on|remediat\w*|"
    r"prohibit\w*|disallow\w*|ban|banned|unused|delet\w*|revok\w*|"
    r"not\s+(?:permitted|allowed)|avoid\w*|instead\s+of|rather\s+than|eliminat\w*|replac\w*)\b|n't\b",
    re.I,
)


# A consequence starts a clause of its own: "No blocking was needed, so the subnets keep the
# default NACL" does not forbid the default NACL.
# A comment on the whole (", which gives complete coverage ... without paying for ...") is one too.
_CONSEQUENCE = re.compile(r",\s*(?:and\s+)?(?:so|therefore|thus|hence|which)\b", re.I)


def _scope(sentence: str, start: int) -> tuple[int, int]:
    """The part of the sentence the practice at `start` belongs to: bounded by semicolons,
    colons, a consequence (", so ...") and the sentence ends, not by commas, since lists run
    over commas ("shared logins, shared passwords and shared keys are forbidden")."""
    lo = max(sentence.rfind(";", 0, start), sentence.rfind(":", 0, start)) + 1
    lo = max([lo, *(m.end() for m in _CONSEQUENCE.finditer(sentence, 0, start))])
    ends = [i for i in (sentence.find(";", start),) if i >= 0]
    ends += [m.start() for m in _CONSEQUENCE.finditer(sentence, start)][:1]
    return lo, min(ends, default=len(sentence))


def forbids(sentence: str, start: int) -> bool:
    """Is the banned practice at `start` forbidden or denied in its part of the sentence?"""
    lo, hi = _scope(sentence, start)
    return bool(_FORBIDDING.search(sentence[lo:hi]))


def forbidden_before(sentence: str, start: int) -> bool:
    """Is the fact at `start` denied or forbidden by what precedes it in its part of the
    sentence ("No security group allows SSH (22) from 0.0.0.0/0")? What follows it ("...
    http://hooks.example, as the vendor has no TLS endpoint") does not undo the fact."""
    lo, _ = _scope(sentence, start)
    return bool(_FORBIDDING.search(sentence[lo:start]))
