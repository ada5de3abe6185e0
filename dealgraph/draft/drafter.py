"""A draft of one article in the seeds' own schema, for a curator to review and ``dealgraph add``.

The draft holds the article's ``document`` entry, the ``entities`` it names that the seeds do
not know, the ``deals`` it proposes (or, in its claims, the seeds' deals with the same kind and
parties), one ``claims`` entry per stated fact with its verbatim quote and a ``review:`` note
saying what the drafter was unsure of, and every figure it found (``mentions``), used or not,
so that nothing stated is silently dropped. It validates as it is (``dealgraph validate
DRAFT.yaml``); the review notes are the curator's to-do list.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Mapping

from ..kinds import DEAL_KINDS
from ..models import MAX_ID_LENGTH, MAX_LINE
from .claims import FIGURE_SLOTS, Proposal, find_claims
from .language import detect_language
from .mentions import (CapacityMention, CountMention, DateMention, MoneyMention, PercentMention, TrancheMention,
                       find_cues, find_mentions)
from .organisations import find_organisations, fold

__all__ = ["Draft", "draft_article", "read_article", "public_json", "slug"]


@dataclass
class Draft:
    """A drafted article: the draft's data (YAML-ready, figures as ``Decimal``) and the text it
    was drafted from (for HTML, the extracted text: the one to keep as ``<id>.txt``)."""

    data: dict[str, Any]
    text: str
    html: bool
    #: the seeds' entities and deals it was drafted against (the JSON names their parties)
    entities: Mapping[str, Any] = field(default_factory=dict)
    deals: Mapping[str, Any] = field(default_factory=dict)

    def render(self, fmt: str = "yaml") -> str:
        """The draft as a file: YAML in the seeds' schema (what ``dealgraph add`` merges), or
        JSON with the deals as records of the public deals JSON (:func:`public_json`)."""
        if fmt == "json":
            import json

            return json.dumps(public_json(self.data, self.entities, self.deals), indent=2, ensure_ascii=False) + "\n"
        from ..merge import dump_yaml  # the seeds' YAML style: Decimal figures as written, keys in order

        return ("# Drafted by `dealgraph draft`: review every `review:` note, delete it when done, then\n"
                "# dealgraph add THIS_FILE --seeds DIR. `mentions:` lists every figure found; it is not merged.\n"
                + dump_yaml(self.data))


_HTML = re.compile(r"^\s*(?:<!doctype html|<html|<head|<body|<article|<div|<p[\s>])", re.IGNORECASE)


def read_article(raw: bytes, name: str = "") -> tuple[str, bool, str | None]:
    """The article's text, whether it came from HTML, and the page's title when it did.

    HTML (by its name or its first tag) goes through trafilatura, which keeps the main text and
    drops menus, footers and comments; plain text is read as UTF-8, as the seeds' checks read
    the documents (``seeds.check_documents``)."""
    from ..errors import InvalidInput

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{name or 'the article'} is not UTF-8 text (byte {exc.start})") from None
    if not (name.lower().endswith((".html", ".htm")) or _HTML.match(text)):
        return text, False, None
    import trafilatura

    extracted = trafilatura.extract(text, include_comments=False, include_tables=False, favor_recall=True)
    if not extracted:
        raise InvalidInput(f"{name or 'the page'}: no main text found in the HTML")
    meta = trafilatura.extract_metadata(text)
    return extracted, True, (meta.title if meta is not None else None)


def slug(name: str, limit: int = 60) -> str:
    """An id from a name: ASCII letters and digits joined by single ``-`` ("Nestlé S.A." ->
    "nestle-s-a")."""
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_))[:limit].strip("-")


def _unique(base: str, taken: set[str]) -> str:
    base = (base or "x")[:MAX_ID_LENGTH - 4].strip("-")
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _field(record: Any, key: str) -> Any:
    return record.get(key) if isinstance(record, Mapping) else getattr(record, key, None)


def _party_ids(deal: Any) -> dict[str, frozenset[str]]:
    parties = _field(deal, "parties") or {}
    return {role: frozenset([who] if isinstance(who, str) else who) for role, who in parties.items()}


def draft_article(raw: bytes, name: str, *, entities: Mapping[str, Any] | None = None,
                  deals: Mapping[str, Any] | None = None, url: str | None = None, published: str | None = None,
                  document_id: str | None = None) -> Draft:
    """Draft the article ``raw`` (its bytes; ``name`` is its file name) against the seeds'
    ``entities`` and ``deals`` (by id; records or dicts).

    ``document_id`` defaults to the file name without its extension; ``published`` (a partial
    date) to the latest full date the text mentions, with a review note.
    """
    from ..dates import check_partial_date
    from ..errors import InvalidInput

    entities = dict(entities or {})
    deals = dict(deals or {})
    text, html, page_title = read_article(raw, name)
    language = detect_language(text)
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", name.rsplit("/", 1)[-1]) or "article"
    doc_id = document_id or stem.lower()
    doc_review = []
    if not re.fullmatch(r"[a-z0-9]+(?:[-_][a-z0-9]+)*", doc_id):
        doc_id = "_".join(re.findall(r"[a-z0-9]+", slug(doc_id, 80).replace("-", "_"))) or "article"
        doc_review.append(f"the id is made from the file name {stem!r}: keep the text as {doc_id}.txt")
    if published is not None:
        try:
            published = check_partial_date(published)
        except ValueError as exc:
            raise InvalidInput(f"--published: {exc}") from None

    mentions = find_mentions(text, language)
    orgs = find_organisations(text, language, entities.values())
    # figures are one word in a cue's gap; organisations fill the cues' party slots ("von @ finanziert")
    cues = find_cues(text, language, figures=mentions, organisations=orgs.parties())
    proposals = find_claims(text, language, orgs.parties(), mentions, cues)

    # ids: new entities and deals take none already used, nor a name a deal id must not be
    taken_entities = set(entities)
    names_taken = {fold(n) for e in entities.values() for n in [_field(e, "name"), *(_field(e, "aliases") or [])] if n}
    taken_deals = set(deals) | set(entities)
    entity_of: dict[str, str] = {}  # OrgMention.key -> entity id
    new_entities: list[dict[str, Any]] = []
    for key, org in orgs.new.items():
        aliases = [a for a in org.aliases if fold(a) not in names_taken][:20]
        if not aliases:
            continue
        eid = _unique(slug(org.name) or "org", taken_entities | taken_deals)
        taken_entities.add(eid)
        entity_of[key] = eid
        names_taken.update(fold(a) for a in aliases)
        new_entities.append({
            "id": eid, "name": org.name[:MAX_LINE], "kind": "company", "aliases": [a[:MAX_LINE] for a in aliases],
            "review": f"new organisation ({org.evidence or 'capitalised'}; named {org.mentions} time(s)): check "
                      "that it is an organisation and its kind; if the seeds know it under another name, "
                      "add this spelling to that entity's aliases instead"})
    for m in orgs.mentions:
        if m.known:
            entity_of[m.key] = m.key
    taken_deals |= taken_entities | names_taken

    # the currencies the article states, for a figure that states none (see _context_currency)
    stated = {m.currency for m in mentions if isinstance(m, MoneyMention) and m.currency}
    new_deals: dict[tuple, dict[str, Any]] = {}
    claims: list[dict[str, Any]] = []
    used: dict[tuple[int, int], int] = {}
    for p in proposals:
        if any(o.key not in entity_of for o in p.roles.values()):
            continue
        parties = {role: entity_of[o.key] for role, o in p.roles.items()}
        deal_id, deal_note = _deal_for(p.kind, parties, deals, new_deals, taken_deals, entities, new_entities)
        claim = _claim(text, p, deal_id, _context_currency(p, mentions, stated))
        if deal_note:
            claim["review"] = f"{deal_note}; {claim['review']}"
        for slot in FIGURE_SLOTS:
            figure = getattr(p, slot)
            if figure is not None and slot.split("_")[0] in claim:
                used.setdefault((figure.start, figure.end), len(claims))
        claims.append(claim)

    document = _document(text, doc_id, language, raw if not html else text.encode("utf-8"), published, mentions,
                         url, page_title, html, doc_review)
    data: dict[str, Any] = {"document": document, "entities": new_entities, "deals": list(new_deals.values()),
                            "claims": claims, "mentions": [_mention(m, used.get((m.start, m.end))) for m in mentions]}
    # an entity no claim needs is still drafted (the article names it); a deal always has a claim
    return Draft(data, text, html, entities, deals)


def _deal_for(kind: str, parties: dict[str, str], deals: Mapping[str, Any], new_deals: dict[tuple, dict],
              taken: set[str], entities: Mapping[str, Any], new_entities: list[dict]) -> tuple[str, str | None]:
    """The id of the deal a claim is about: the seeds' deal of the same kind and parties when
    there is one (the first by id, the others named in the review note), else a new one."""
    wanted = {role: frozenset([who]) for role, who in parties.items()}
    same = sorted(i for i, d in deals.items() if _field(d, "kind") == kind and _party_ids(d) == wanted)
    if same:
        note = f"about the seeds' deal {same[0]!r} (same kind and parties)"
        if len(same) > 1:
            note += f"; or one of {', '.join(same[1:])}"
        return same[0], note
    key = (kind, tuple(sorted(parties.items())))
    if key not in new_deals:
        row = DEAL_KINDS[kind]
        ordered = [parties[r] for r in (row.flow_from, row.flow_to, *row.roles) if r and r in parties]
        ordered = list(dict.fromkeys(ordered))
        deal_id = _unique(slug("-".join(ordered + [kind.replace("_", "-")]), 90), taken)
        names = {e["id"]: e["name"] for e in new_entities}
        names.update({i: _field(e, "name") for i, e in entities.items()})
        who = ", ".join(f"{role.replace('_', ' ')} {names.get(pid, pid)}" for role, pid in parties.items())
        new_deals[key] = {"id": deal_id, "kind": kind, "label": f"{row.label}: {who}"[:MAX_LINE],
                          "parties": dict(parties),
                          "review": "proposed by the drafter: check the kind, who plays which role, and whether "
                                    "it is a deal the seeds already hold under another kind"}
    return new_deals[key]["id"], None


def _context_currency(p: Proposal, mentions: list, stated: set[str]) -> tuple[str, str] | tuple[None, str]:
    """The currency a figure of ``p`` that states none is in, and why; or None and why not.

    Only what the text says decides it, never a default: the one currency the other figures of
    the sentence state, else the one currency the whole article states. Two or more (an article
    in euros quoting a deal in dollars) or none: the figure's currency is unknown, and a claim
    does not guess it (a wrong currency is a wrong amount; metrics never convert one)."""
    s0, s1 = p.sentence
    in_sentence = {m.currency for m in mentions
                   if isinstance(m, MoneyMention) and m.currency and s0 <= m.start and m.end <= s1}
    if len(in_sentence) == 1:
        (cur,) = in_sentence
        return cur, f"the sentence's other figures are in {cur}"
    if not in_sentence and len(stated) == 1:
        (cur,) = stated
        return cur, f"every figure of the article that states a currency states {cur}"
    candidates = sorted(in_sentence or stated)
    return None, (f"the text states several ({', '.join(candidates)})" if candidates else
                  "the text states none")


def _money_fields(figure: MoneyMention, slot: str, context: tuple[str | None, str], unsure: list[str]) -> dict | None:
    """The seed fields of a money figure (an ``amount`` or a ``price``) with its currency as
    stated, or as the context gives it (with a note); None, with a note, when neither does."""
    currency, why = context
    if figure.currency is None and currency is None:
        unsure.append(f"the {slot} {figure.surface!r} states no currency and {why}: left out of the claim "
                      "(it is in the mentions); add it with the currency the source means")
        return None
    fields = figure.seed_fields(currency)
    if figure.currency is None:
        unsure.append(f"the {slot} {figure.surface!r} states no currency: {currency} because {why}")
    if figure.term_years is not None and "term" not in fields:
        unsure.append(f"the term of {figure.surface!r} is no whole number of months: left out")
    if fields.get("per") in ("month", "quarter", "year"):
        unsure.append(f"the {slot} is a rate per {fields['per']}" + (
            f" over {fields['term']}: the deal's total is rate × term" if "term" in fields else
            ": no term is stated with it, so it has no total; add the term if the text gives one elsewhere"))
    return fields


def _claim(text: str, p: Proposal, deal_id: str, context: tuple[str | None, str]) -> dict[str, Any]:
    claim: dict[str, Any] = {"deal": deal_id, "quote": p.quote_text(text)}
    unsure = list(p.unsure)
    if p.modality != "reported":
        claim["modality"] = p.modality
    for slot in ("amount", "price"):
        figure = getattr(p, slot)
        fields = _money_fields(figure, slot, context, unsure) if figure is not None else None
        if fields is not None:
            claim[slot] = fields
    if p.share is not None:
        claim["share"] = {"percent": p.share.percent, "of": DEAL_KINDS[p.kind].share_of,
                          "qualifier": p.share.qualifier, "text": p.share.surface}
    if p.capacity is not None:
        claim["capacity"] = {"value": p.capacity.value, "unit": p.capacity.unit, "qualifier": p.capacity.qualifier,
                             "text": p.capacity.surface}
    if p.quantity is not None:
        claim["quantity"] = p.quantity.seed_fields()
    if p.tranche is not None:
        # a claim about one tranche: its amount and status are the tranche's (models.Tranche);
        # the drafter writes a status, never an event, so it always validates
        tranche: dict[str, Any] = {"number": p.tranche.number}
        of = p.tranche.of if p.tranche.of is not None else p.tranche_count.of if p.tranche_count else None
        if of is not None and of >= p.tranche.number:
            tranche["of"] = of
        elif of is not None:
            unsure.append(f"tranche {p.tranche.number} of {of} cannot be: the count is left out")
        claim["tranche"] = tranche
        unsure.append(f"about one tranche ({p.tranche.surface!r}): its amount and status are that tranche's, "
                      "not the deal's")
    elif p.tranche_count is not None:
        unsure.append(f"the text says the deal is paid in {p.tranche_count.of} tranches "
                      f"({p.tranche_count.surface!r}) but not which one this claim is about")
    if p.date is not None:
        claim["date"] = p.date.value
        unsure.append(f"{p.date.surface!r} is taken as the date of the fact: it may be when it ends (until) "
                      "or the period it covers")
    if p.status:
        claim["status"] = p.status
    claim["basis"] = "stated"
    roles = ", ".join(f"{role.replace('_', ' ')} = {o.surface!r}" for role, o in p.roles.items())
    reading = (f"drafted from the cue {p.cue.surface!r} ({p.kind.replace('_', ' ')}; {roles}: the organisations "
               "around it, read by the rules of claims.py)")
    figures = [s for s in ("amount", "price", "share", "capacity", "quantity", "tranche") if s in claim]
    if figures:
        reading += f"; {' and '.join(figures)}: the nearest figure in the sentence"
    stance = []
    if p.modality_word:
        stance.append(f"modality {p.modality!r} from {p.modality_word!r}")
    if p.status_word:
        stance.append(f"status {p.status!r} from {p.status_word!r}")
    reading += "; " + ("; ".join(stance) if stance else "no word of modality or status: check them")
    claim["review"] = "; ".join([reading, *unsure])
    return claim


#: The longest title a draft proposes: a headline, not a paragraph (texts without a headline
#: start with one).
HEADLINE = 160


def _headline(line: str) -> str:
    """``line`` as a title: whole when short, else its first sentence, else cut at a word."""
    if len(line) <= HEADLINE:
        return line
    sentence = re.match(r".+?[.!?](?=\s)", line)
    if sentence and len(sentence.group()) <= HEADLINE:
        return sentence.group()
    cut = line[:HEADLINE - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:") + "…"


def _document(text: str, doc_id: str, language: str, raw: bytes, published: str | None, mentions: list,
              url: str | None, page_title: str | None, html: bool, review: list[str]) -> dict[str, Any]:
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), doc_id)
    title = _headline(page_title or first_line)
    where = "page title" if page_title else "first line of the text" if title == first_line else \
        "start of the text's first line (the text has no headline)"
    review = [f"the title is the {where}: a guess", *review]
    if published is not None:
        basis = "given when the article was drafted (--published)"
    else:
        days = sorted(m.value for m in mentions if isinstance(m, DateMention) and m.precision == "day")
        if days:
            published, basis = days[-1], "the latest full date the text mentions (a guess)"
        else:
            published = datetime.date.today().isoformat()[:7]
            basis = "the text gives no full date: the month it was drafted (a guess)"
        review.append(f"published: {basis}; check the publication date")
    if html:
        review.append(f"the text was extracted from HTML: keep it as {doc_id}.txt (its sha256 is of that text)")
    document: dict[str, Any] = {"id": doc_id, "title": title, "language": language, "published": published,
                                "published_basis": basis, "sha256": hashlib.sha256(raw).hexdigest()}
    if url:
        document["url"] = url
    document["review"] = "; ".join(review)
    return document


def _mention(m: Any, claim: int | None) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": m.kind, "surface": m.surface, "start": m.start, "end": m.end}
    if isinstance(m, MoneyMention):
        out.update(value=m.value, currency=m.currency, qualifier=m.qualifier)
        if m.low != m.high:
            out.update(min=m.low, max=m.high)
        if m.per:
            out["per"] = m.per
        if m.term:
            out["term"] = m.term
    elif isinstance(m, PercentMention):
        out.update(value=m.percent, qualifier=m.qualifier)
        if m.points:
            out["points"] = True
    elif isinstance(m, CapacityMention):
        out.update(value=m.value, unit=m.unit, qualifier=m.qualifier)
    elif isinstance(m, CountMention):
        out.update(value=m.value, unit=m.unit, noun=m.noun, qualifier=m.qualifier)
        if m.low != m.high:
            out.update(min=m.low, max=m.high)
    elif isinstance(m, TrancheMention):
        out.update(number=m.number, of=m.of)
    elif isinstance(m, DateMention):
        out.update(value=m.value, precision=m.precision)
    out["claim"] = claim
    return out


# ---------------------------------------------------------------------------------------------
# The draft as JSON: deals as records of the public deals JSON


def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _number(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_number(v) for v in value]
    return value


def public_json(data: Mapping[str, Any], entities: Mapping[str, Any] | None = None,
                deals: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The draft as JSON: ``deals`` as records of the public deals JSON (``id``, ``kind``,
    ``from``, ``to``, ``amount``, ``share``, dates, ``status``, ``sources``), one for every deal
    the claims are about (new or the seeds'), valued by the first claim that states each value;
    the rest as in the YAML, figures as JSON numbers."""
    from ..models import SCALES

    entities, deals = dict(entities or {}), dict(deals or {})
    names = {i: _field(e, "name") for i, e in entities.items()}
    names.update({e["id"]: e["name"] for e in data.get("entities", [])})
    by_id = {i: {"kind": _field(d, "kind"), "parties": _field(d, "parties")} for i, d in deals.items()}
    by_id.update({d["id"]: d for d in data.get("deals", [])})
    records = []
    doc = data["document"]["id"]
    for deal_id in dict.fromkeys(c["deal"] for c in data.get("claims", [])):
        deal = by_id[deal_id]
        row = DEAL_KINDS[deal["kind"]]
        claims = [c for c in data["claims"] if c["deal"] == deal_id]

        def side(role: str | None) -> str | None:
            who = deal["parties"].get(role) if role else None
            ids = [] if who is None else [who] if isinstance(who, str) else list(who)
            return "; ".join(sorted(names.get(i, i) for i in ids)) or None

        def first(key: str) -> Any:
            # a tranche's amount and status are never the deal's (models.Tranche)
            return next((c[key] for c in claims if c.get(key) is not None
                         and not (c.get("tranche") and key in ("amount", "status"))), None)

        amount, share = first("amount"), first("share")
        if amount is not None:
            factor = SCALES[amount.get("scale", "unit")]
            amount = {"value": amount["value"] * factor, "currency": amount["currency"],
                      "qualifier": amount.get("qualifier", "exact"),
                      "min": amount["min"] * factor if amount.get("min") is not None else None,
                      "max": amount["max"] * factor if amount.get("max") is not None else None,
                      # a rate is no sum: say what it is counted per, and over what term
                      **{k: amount[k] for k in ("per", "term") if amount.get(k)}}
        if share is not None:
            share = {"value": share["percent"] / 100, "of": share["of"], "qualifier": share.get("qualifier", "exact")}
        records.append({"id": deal_id, "kind": deal["kind"], "from": side(row.flow_from), "to": side(row.flow_to),
                        "amount": amount, "share": share, "date": first("date"), "until": first("until"),
                        "period": first("period"), "status": first("status"), "sources": [doc], "inferred": {}})
    out = {"document": data["document"], "entities": data.get("entities", []), "deals": records,
           "claims": data.get("claims", []), "mentions": data.get("mentions", [])}
    return _number(out)
