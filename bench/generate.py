"""Synthetic, clearly labelled test data shaped like the open data of the migration chain, as N-Triples.

    .venv/bin/python bench/generate.py --triples 1000000 -o /tmp/synth-1m.nt [--seed 7]

What it writes (all under https://w3id.org/migratie-kg/id/synthetisch/, never under our real IRIs):

- five synthetic report editions ("Synthetische Staat van Migratie 2021" ... 2025), each a `mkg:Report` with one
  `mkg:ReportSection` ("Cijferbijlage"), the `prov:wasDerivedFrom` target of that edition's data sets;
- per edition four RDF Data Cube data sets, each with its structure (DSD) and `rdfs:comment "Synthetische testdata"@nl`:
  * monthly asylum applications by nationality (`mkg:nationality` -> the real countries of data/ttl/landen.ttl),
    type of application (`mkg:category`) and track (`mkg:route`, spoor 1-4), source IND;
  * monthly regular applications by nationality and residence purpose (`mkg:residencePurpose`), source IND;
  * COA occupancy per reception location per month (`mkg:category` = location), source COA;
  * housing targets (taakstelling) per municipality per half year (`mkg:category` = municipality, period
    "2024-H1" as a plain string), source COA;
- the SKOS code lists those dimensions use.

Observations follow the shape of app/stats/convert.py output: `qb:dataSet`, `sdmx-dimension:refPeriod`, the
dimensions, `mkg:count` (xsd:decimal) for exact values, `mkg:publishedValue` (Dutch formatting, "1.234") and
`mkg:valueStatus`; counts below 5 are published as "<5" with `mkg:CensoredBelow5` and no number, as the CBS/IND
tables do. The data conforms to shapes/statistiek.ttl and shapes/bron.ttl (tests/test_generate.py checks it).

Size: the cardinality of the dimensions grows with --triples (more nationalities, locations and municipalities,
then more months back in time) and generation stops after the first (edition, month) block that reaches the
requested number of triples (a few thousand triples over at most). Output is streamed line by line (memory does not grow with size) and is a pure function of
(--triples, --seed): the same arguments give byte-identical output.
"""
from __future__ import annotations

import argparse
import math
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

S = "https://w3id.org/migratie-kg/id/synthetisch/"
ID = "https://w3id.org/migratie-kg/id/"
MKG = "https://w3id.org/migratie-kg/def#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
QB = "http://purl.org/linked-data/cube#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
SDMXD = "http://purl.org/linked-data/sdmx/2009/dimension#"
SDMXA = "http://purl.org/linked-data/sdmx/2009/attribute#"

EDITIONS = [2021, 2022, 2023, 2024, 2025]
SYNTH = "Synthetische testdata"

ASIEL_CATEGORIEEN = [("eerste-aanvraag", "Eerste aanvraag", 1.0), ("nareis", "Nareis", 0.35),
                     ("volgende-aanvraag", "Volgende aanvraag", 0.12)]
ROUTES = [("spoor-1", "spoor 1"), ("spoor-2", "spoor 2"), ("spoor-3", "spoor 3"), ("spoor-4", "spoor 4")]
VERBLIJFSDOELEN = [("arbeid", "Arbeid", 1.0), ("kennismigratie", "Kennismigratie", 0.6), ("studie", "Studie", 0.9),
                   ("gezin", "Gezin", 1.2), ("overig", "Overig", 0.2)]
GEMEENTEN = ["Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven", "Groningen", "Tilburg", "Almere", "Breda",
             "Nijmegen", "Apeldoorn", "Arnhem", "Haarlem", "Enschede", "Amersfoort", "Zaanstad", "Den Bosch",
             "Haarlemmermeer", "Zwolle", "Leiden", "Zoetermeer", "Leeuwarden", "Maastricht", "Dordrecht", "Ede",
             "Alkmaar", "Emmen", "Westland", "Venlo", "Delft", "Deventer", "Sittard-Geleen", "Helmond", "Oss",
             "Amstelveen", "Hilversum", "Heerlen", "Súdwest-Fryslân", "Hengelo", "Purmerend", "Assen", "Roosendaal",
             "Schiedam", "Lelystad", "Almelo", "Leidschendam-Voorburg", "Gouda", "Vlaardingen", "Hoorn", "Velsen",
             "Westerwolde", "Ter Apel", "Budel", "Zeist", "Katwijk", "Veenendaal", "Middelburg", "Harderwijk",
             "Bergen op Zoom", "Capelle aan den IJssel"]


def slug(text: str) -> str:
    import unicodedata

    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", t).strip("-")


def lit(value: str, lang: str | None = None, datatype: str | None = None) -> str:
    v = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if lang:
        return f'"{v}"@{lang}'
    if datatype:
        return f'"{v}"^^<{datatype}>'
    return f'"{v}"'


def iri(x: str) -> str:
    return f"<{x}>"


def dutch(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def countries(root: Path = ROOT) -> list[tuple[str, str]]:
    """(iso2 lower-case, Dutch name) of the real countries in data/ttl/landen.ttl, sorted by code."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(root / "data" / "ttl" / "landen.ttl"), format=ox.RdfFormat.TURTLE)
    rows = store.query(f"""SELECT ?c ?l WHERE {{ ?c <{SKOS}inScheme> <{ID}land> ; <{SKOS}prefLabel> ?l .
                           FILTER(LANG(?l) = "nl") }} ORDER BY ?c""")
    out, seen = [], set()
    for r in rows:
        code = r["c"].value.rsplit("/", 1)[-1]
        if code not in seen and re.fullmatch(r"[a-z]{2}", code):
            seen.add(code)
            out.append((code, r["l"].value))
    return out


class Writer:
    """Counts the triples it writes; `t(s, p, o)` takes N-Triples terms."""

    def __init__(self, out):
        self.out = out
        self.n = 0

    def t(self, s: str, p: str, o: str) -> None:
        self.out.write(f"{s} {p} {o} .\n")
        self.n += 1


class Plan:
    """Dimension cardinalities and number of months for a requested size."""

    def __init__(self, target: int, n_countries: int):
        self.n_nat = max(5, min(n_countries, 10 + target // 20_000))
        self.n_loc = max(10, min(400, 20 + target // 40_000))
        self.n_gem = max(10, min(342, 20 + target // 30_000))
        per_edition_month = (self.n_nat * len(ASIEL_CATEGORIEEN) + self.n_nat * len(VERBLIJFSDOELEN)
                             + self.n_loc + self.n_gem / 6)
        triples_per_obs = 10.5
        self.months = max(1, math.ceil(target / (len(EDITIONS) * per_edition_month * triples_per_obs)))


def write_codes(w: Writer, listname: str, label: str, items: list[tuple[str, str]]) -> dict[str, str]:
    scheme = iri(f"{S}code/{listname}")
    w.t(scheme, iri(RDF + "type"), iri(SKOS + "ConceptScheme"))
    w.t(scheme, iri(RDFS + "label"), lit(label, "nl"))
    w.t(scheme, iri(SKOS + "prefLabel"), lit(label, "nl"))
    w.t(scheme, iri(RDFS + "comment"), lit(SYNTH, "nl"))
    codes = {}
    for s, l in items:
        c = iri(f"{S}code/{listname}/{s}")
        w.t(c, iri(RDF + "type"), iri(SKOS + "Concept"))
        w.t(c, iri(RDFS + "label"), lit(l, "nl"))
        w.t(c, iri(SKOS + "prefLabel"), lit(l, "nl"))
        w.t(c, iri(SKOS + "inScheme"), scheme)
        w.t(c, iri(SKOS + "notation"), lit(s))
        codes[s] = c
    return codes


FAMILIES = {
    # key: (title, unit, source organisation, dimensions [(property, code list or None for countries)])
    "asielaanvragen": ("Asielaanvragen per maand naar nationaliteit, soort aanvraag en spoor", "aanvragen", "ind",
                       [(MKG + "nationality", None), (MKG + "category", "asiel-soort-aanvraag"),
                        (MKG + "route", "asiel-spoor")]),
    "regulier": ("Reguliere aanvragen per maand naar nationaliteit en verblijfsdoel", "aanvragen", "ind",
                 [(MKG + "nationality", None), (MKG + "residencePurpose", "verblijfsdoel")]),
    "coa-bezetting": ("Bezetting COA-opvang per locatie per maand", "personen", "coa",
                      [(MKG + "category", "coa-locatie")]),
    "taakstelling": ("Taakstelling huisvesting vergunninghouders per gemeente per halfjaar", "personen", "coa",
                     [(MKG + "category", "gemeente")]),
}


def write_edition(w: Writer, year: int) -> tuple[str, str]:
    report = iri(f"{S}bron/staat-van-migratie-{year}")
    section = iri(f"{S}bron/staat-van-migratie-{year}/sectie/cijferbijlage")
    title = f"Synthetische Staat van Migratie {year}"
    w.t(report, iri(RDF + "type"), iri(MKG + "Report"))
    w.t(report, iri(RDFS + "label"), lit(title, "nl"))
    w.t(report, iri(DCT + "title"), lit(title, "nl"))
    w.t(report, iri(RDFS + "comment"), lit(SYNTH, "nl"))
    w.t(section, iri(RDF + "type"), iri(MKG + "ReportSection"))
    w.t(section, iri(RDFS + "label"), lit(f"Cijferbijlage ({title})", "nl"))
    w.t(section, iri(DCT + "title"), lit("Cijferbijlage", "nl"))
    w.t(section, iri(MKG + "page"), lit("1", datatype=XSD + "integer"))
    w.t(section, iri(MKG + "level"), lit("1", datatype=XSD + "integer"))
    w.t(section, iri(DCT + "isPartOf"), report)
    w.t(section, iri(RDFS + "comment"), lit(SYNTH, "nl"))
    return report, section


def write_dataset(w: Writer, year: int, key: str, section: str) -> str:
    title, unit, source, dims = FAMILIES[key]
    base = f"{S}dataset/{year}/{key}"
    ds, dsd = iri(base), iri(base + "/structure")
    w.t(ds, iri(RDF + "type"), iri(QB + "DataSet"))
    w.t(ds, iri(RDFS + "label"), lit(f"{title} (synthetisch, editie {year})", "nl"))
    w.t(ds, iri(DCT + "title"), lit(f"{title} (synthetisch, editie {year})", "nl"))
    w.t(ds, iri(RDFS + "comment"), lit(SYNTH, "nl"))
    w.t(ds, iri(QB + "structure"), dsd)
    w.t(ds, iri(PROV + "wasDerivedFrom"), section)
    w.t(ds, iri(MKG + "dataSource"), iri(f"{ID}organisatie/{source}"))
    w.t(ds, iri(SDMXA + "unitMeasure"), lit(unit, "nl"))
    w.t(dsd, iri(RDF + "type"), iri(QB + "DataStructureDefinition"))
    w.t(dsd, iri(RDFS + "label"), lit(f"Structuur van {title} (synthetisch, editie {year})", "nl"))
    comps = [("refPeriod", "dimension", SDMXD + "refPeriod", None)]
    comps += [(p.rsplit("#", 1)[-1], "dimension", p, cl) for p, cl in dims]
    comps += [("count", "measure", MKG + "count", None), ("publishedValue", "attribute", MKG + "publishedValue", None),
              ("valueStatus", "attribute", MKG + "valueStatus", None)]
    for order, (name, kind, prop, codelist) in enumerate(comps, 1):
        c = iri(f"{base}/structure/{name}")
        w.t(dsd, iri(QB + "component"), c)
        w.t(c, iri(RDF + "type"), iri(QB + "ComponentSpecification"))
        w.t(c, iri(RDFS + "label"), lit(f"Component {name}", "nl"))
        w.t(c, iri(QB + kind), iri(prop))
        w.t(c, iri(QB + "order"), lit(str(order), datatype=XSD + "integer"))
        if kind == "attribute":
            w.t(c, iri(QB + "componentRequired"), lit("true", datatype=XSD + "boolean"))
        if kind == "dimension" and prop != SDMXD + "refPeriod":
            w.t(c, iri(QB + "codeList"), iri(f"{S}code/{codelist}" if codelist else f"{ID}land"))
    return base


def months_back(year: int, n: int) -> list[tuple[int, int]]:
    """The n months before January of `year`, newest first."""
    out, y, m = [], year - 1, 12
    for _ in range(n):
        out.append((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out


def generate(out, target: int, seed: int = 7, root: Path = ROOT) -> int:
    """Write about `target` triples of synthetic data to the text stream `out`; return the number written."""
    rng = random.Random(seed)
    lands = countries(root)
    plan = Plan(target, len(lands))
    w = Writer(out)
    # Nationality weights: a few large groups, a long tail (like the real inflow), fixed by the seed.
    nats = lands[:]
    rng.shuffle(nats)
    nats = nats[: plan.n_nat]
    nat_weight = {c: 400.0 / (i + 1) ** 1.1 for i, (c, _) in enumerate(nats)}
    nat_route = {c: ROUTES[rng.randrange(len(ROUTES))][0] for c, _ in nats}
    locs = [(f"locatie-{i + 1:03d}", f"Opvanglocatie {GEMEENTEN[i % len(GEMEENTEN)]} {i // len(GEMEENTEN) + 1}")
            for i in range(plan.n_loc)]
    loc_cap = {s: rng.choice([150, 300, 450, 600, 900, 1200, 2000]) for s, _ in locs}
    gems = [(slug(g), g) for g in GEMEENTEN[: plan.n_gem]]
    gems += [(f"gemeente-{i:03d}", f"Synthetische gemeente {i:03d}") for i in range(len(gems) + 1, plan.n_gem + 1)]
    gem_share = {s: rng.uniform(0.2, 3.0) for s, _ in gems}

    code = {
        "asiel-soort-aanvraag": write_codes(w, "asiel-soort-aanvraag", "Soort asielaanvraag (synthetisch)",
                                            [(s, l) for s, l, _ in ASIEL_CATEGORIEEN]),
        "asiel-spoor": write_codes(w, "asiel-spoor", "Spoor in de asielprocedure (synthetisch)", ROUTES),
        "verblijfsdoel": write_codes(w, "verblijfsdoel", "Verblijfsdoel (synthetisch)",
                                     [(s, l) for s, l, _ in VERBLIJFSDOELEN]),
        "coa-locatie": write_codes(w, "coa-locatie", "COA-opvanglocatie (synthetisch)", locs),
        "gemeente": write_codes(w, "gemeente", "Gemeente (synthetisch)", gems),
    }
    land = {c: iri(f"{ID}land/{c}") for c, _ in lands}
    land_name = dict(lands)

    sections, datasets = {}, {}
    for year in EDITIONS:
        _, sections[year] = write_edition(w, year)
        for key in FAMILIES:
            datasets[(year, key)] = write_dataset(w, year, key, sections[year])

    T = {k: iri(v) for k, v in {
        "type": RDF + "type", "label": RDFS + "label", "ds": QB + "dataSet", "period": SDMXD + "refPeriod",
        "from": PROV + "wasDerivedFrom", "count": MKG + "count", "pv": MKG + "publishedValue",
        "vs": MKG + "valueStatus", "nat": MKG + "nationality", "cat": MKG + "category", "route": MKG + "route",
        "purpose": MKG + "residencePurpose"}.items()}
    OBS, EXACT, CENS = iri(QB + "Observation"), iri(MKG + "ExactValue"), iri(MKG + "CensoredBelow5")

    def obs(year, key, oid, period_lit, period_text, dims, value, what):
        base = datasets[(year, key)]
        o = iri(f"{base}/obs/{oid}")
        shown = "<5" if value < 5 else dutch(value)
        w.t(o, T["type"], OBS)
        w.t(o, T["label"], lit(f"{what}, {period_text}: {shown} (synthetisch, editie {year})", "nl"))
        w.t(o, T["ds"], iri(base))
        w.t(o, T["period"], period_lit)
        w.t(o, T["from"], sections[year])
        for p, v in dims:
            w.t(o, T[p], v)
        w.t(o, T["pv"], lit(shown))
        if value < 5:
            w.t(o, T["vs"], CENS)
        else:
            w.t(o, T["count"], lit(f"{value}.0", datatype=XSD + "decimal"))
            w.t(o, T["vs"], EXACT)

    # Observations, newest month first, every edition and data set per month, so that every data set has
    # observations long before the target is reached.
    for step in range(plan.months * 4):  # the estimate is rough: go on (further back in time) until the target
        for year in EDITIONS:
            y, m = months_back(year, step + 1)[-1]
            ym = f"{y}-{m:02d}"
            plit = lit(ym, datatype=XSD + "gYearMonth")
            season = 1.0 + 0.25 * math.sin((m - 3) / 12 * 2 * math.pi)
            trend = 1.0 + 0.08 * (y - 2015)
            for c, _ in nats:
                for cs, cl, cw in ASIEL_CATEGORIEEN:
                    v = int(rng.gammavariate(4.0, nat_weight[c] * cw * season * trend / 4.0))
                    obs(year, "asielaanvragen", f"{ym}-{c}-{cs}", plit, ym,
                        [("nat", land[c]), ("cat", code["asiel-soort-aanvraag"][cs]),
                         ("route", code["asiel-spoor"][nat_route[c]])],
                        v, f"Asielaanvragen {land_name[c]}, {cl}, {nat_route[c].replace('-', ' ')}")
            for c, _ in nats:
                for ps, pl, pw in VERBLIJFSDOELEN:
                    v = int(rng.gammavariate(3.0, nat_weight[c] * pw * trend / 3.0))
                    obs(year, "regulier", f"{ym}-{c}-{ps}", plit, ym,
                        [("nat", land[c]), ("purpose", code["verblijfsdoel"][ps])],
                        v, f"Reguliere aanvragen {land_name[c]}, {pl}")
            for s, l in locs:
                v = int(loc_cap[s] * rng.uniform(0.55, 1.08))
                obs(year, "coa-bezetting", f"{ym}-{s}", plit, ym, [("cat", code["coa-locatie"][s])],
                    v, f"Bezetting {l}")
            if m in (6, 12):  # the target of a half year is published at its end
                half = f"{y}-H{1 if m == 6 else 2}"
                for s, l in gems:
                    v = int(gem_share[s] * rng.uniform(40, 160))
                    obs(year, "taakstelling", f"{half}-{s}", lit(half), half, [("cat", code["gemeente"][s])],
                        v, f"Taakstelling {l}")
            if w.n >= target:
                return w.n
    return w.n


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="approximate number of triples to write")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("-o", "--output", help="N-Triples file to write (default: standard output)")
    args = ap.parse_args(argv)
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as f:
            n = generate(f, args.triples, args.seed)
        print(f"Wrote {n} triples to {args.output}", file=sys.stderr)
    else:
        n = generate(sys.stdout, args.triples, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
