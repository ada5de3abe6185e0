"""What the curator inferred, said as such (issue 10): a claim's basis and reason, roles no
source names, quotes that back claims about several deals, dates that are only a document's
estimated publication month."""

from __future__ import annotations

import textwrap

import pytest
from pydantic import ValidationError

from dealgraph.models import Claim, Deal, Total
from dealgraph.seeds import load_seeds

QUOTE = "a quote long enough to pass"


def test_an_inferred_claim_says_why():
    with pytest.raises(ValidationError, match="an inferred assertion carries a reason"):
        Claim(deal="d", quote=QUOTE, basis="inferred")
    claim = Claim(deal="d", quote=QUOTE, basis="inferred", reason="the buyer is not named; Nvidia from context")
    assert claim.basis == "inferred"
    assert Claim(deal="d", quote=QUOTE).basis == "stated"


def test_a_reason_goes_with_an_inference_only():
    with pytest.raises(ValidationError, match="a reason goes with basis: inferred"):
        Claim(deal="d", quote=QUOTE, reason="why")


def test_an_inferred_total_says_why():
    fields = dict(id="t", label="77 %", measure="share", share={"percent": 77, "of": "revenue"}, parts=["a", "b"],
                  quote=QUOTE)
    with pytest.raises(ValidationError, match="carries a reason"):
        Total(**fields, basis="inferred")
    assert Total(**fields, basis="inferred", reason="the quote names no customer").basis == "inferred"


def test_an_inferred_role_is_a_role_the_deal_has():
    fields = dict(id="d", kind="capacity_backstop", label="backstop",
                  parties={"backstop_buyer": "nvidia", "provider": "coreweave"})
    assert Deal(**fields, inferred={"backstop_buyer": "not named; Nvidia from context"}).inferred
    with pytest.raises(ValidationError, match="no party in: lender"):
        Deal(**fields, inferred={"lender": "why"})
    with pytest.raises(ValidationError, match="carries the reason"):
        Deal(**fields, inferred={"backstop_buyer": " "})


def test_one_quote_backing_claims_about_several_deals_is_warned_of(bad_seeds):
    path = next((bad_seeds / "extractions").glob("004_*.yaml"))
    text = path.read_text(encoding="utf-8")
    quote = "un piano di investimenti di circa 100 miliardi"
    path.write_text(text.replace("\nclaims:\n", "\nclaims:\n" + textwrap.indent(textwrap.dedent(f"""\
        - deal: nvidia-openai-stake
          quote: "{quote}"
          status: announced
        - deal: openai-nvidia-accelerators
          quote: "{quote}"
          status: announced
        """), "  "), 1), encoding="utf-8")
    warnings = [str(w) for w in load_seeds(bad_seeds).warnings
                if "the same quote backs" in str(w) and f"{path.name}:" in str(w)]
    # one warning per claim, at the claim's quote, naming the other deal
    assert any(": warning: claims.0.quote:" in w and "about openai-nvidia-accelerators" in w for w in warnings)
    assert any(": warning: claims.1.quote:" in w and "about nvidia-openai-stake" in w for w in warnings)


# ---------------------------------------------------------------------------------------------
# On the bundled seeds


@pytest.fixture(scope="module")
def deals(memory_graph):
    return {d["id"]: d for d in memory_graph.deals()}


def test_a_role_no_source_names_is_marked_inferred(deals):
    # 004: "ha già stipulato un contratto da 6,3 miliardi di dollari, assicurando la vendita di tutte
    # le capacità cloud non vendute": no buyer is named; the curator holds it is Nvidia
    backstop = deals["nvidia-coreweave-capacity-backstop"]
    assert list(backstop["inferred"]) == ["backstop_buyer"]
    assert "names no buyer" in backstop["inferred"]["backstop_buyer"][0]


def test_an_inferred_claim_is_no_source_and_its_value_is_marked(deals):
    """004's "primo contratto siglato nel marzo 2025 per 11,9 miliardi" is held to be the option
    only by inference: 004 is no source of the option, and the 11.9 bn it supplies is marked."""
    option = deals["coreweave-capacity-option-2025"]
    assert option["sources"] == ["000_59ef7ef0d81b026c", "001_b5cf80015326deb3", "002_3b40e35e9b637772"]
    assert option["amount"]["value"] == 11_900_000_000 and list(option["inferred"]) == ["amount"]
    # its status (assumed, 000-002: "OpenAI [...] has stepped in to assume") is stated: not marked
    assert option["status"] == "assumed" and "status" not in option["inferred"]


def test_a_date_from_the_publication_estimate_is_no_event_date(deals):
    # 000-002 date neither the withdrawal nor the takeover; their month is the publication estimate
    steps = {e["step"]: e for e in deals["coreweave-capacity-option-2025"]["events"]}
    assert steps["withdrawn"]["dated_by"] == steps["assumed"]["dated_by"] == "publication"
    # 004: "un primo contratto siglato nel marzo 2025": the claim dates the signing itself
    assert steps["signed"]["dated_by"] == "claim" and steps["signed"]["actor"] == "OpenAI"
    microsoft = next(p for p in deals["coreweave-capacity-option-2025"]["parties"] if p["name"] == "Microsoft")
    assert microsoft["dated_by"] == {"from": None, "until": "publication"}


def test_the_report_and_the_table_say_what_was_inferred(memory_graph, built_store, monkeypatch):
    from typer.testing import CliRunner

    from dealgraph.cli import app
    from dealgraph.render import INFERRED_FOOTNOTE, report_markdown

    text = report_markdown(memory_graph.report())
    assert "inferred, not stated (backstop buyer): 004 says CoreWeave" in text
    monkeypatch.setenv("COLUMNS", "200")
    out = CliRunner().invoke(app, ["deals", "--store", str(built_store)]).stdout
    backstop = next(line for line in out.splitlines() if "nvidia-coreweave-capacity-backstop" in line)
    assert "Nvidia *" in backstop and INFERRED_FOOTNOTE in out


def test_the_seeds_have_no_shared_quote_left(seeds):
    assert [str(w) for w in seeds.warnings if "the same quote backs" in str(w)] == []


def test_the_view_says_what_was_inferred(memory_graph):
    page = memory_graph.view()
    assert "Inferred (backstop buyer)" in page
