"""Build data/ttl/landen.ttl: every country the report names, as SKOS concepts with ISO 3166-1 alpha-2 codes.

Run ``python -m app.stats.build_landen``. The list below was made by searching the seed text for each country's
Dutch name and adjective (see the report of issue 5); rows of data/stats/landen-extra.csv (iso,nl,en), added by
other curators, are merged in.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "data" / "ttl" / "landen.ttl"
EXTRA = ROOT / "data" / "stats" / "landen-extra.csv"

COUNTRIES = [
    ("AF", "Afghanistan", "Afghanistan"),
    ("AL", "Albanië", "Albania"),
    ("AM", "Armenië", "Armenia"),
    ("AR", "Argentinië", "Argentina"),
    ("AT", "Oostenrijk", "Austria"),
    ("AU", "Australië", "Australia"),
    ("AW", "Aruba", "Aruba"),
    ("AZ", "Azerbeidzjan", "Azerbaijan"),
    ("BA", "Bosnië en Herzegovina", "Bosnia and Herzegovina"),
    ("BD", "Bangladesh", "Bangladesh"),
    ("BE", "België", "Belgium"),
    ("BG", "Bulgarije", "Bulgaria"),
    ("BQ", "Caribisch Nederland", "Caribbean Netherlands"),
    ("BR", "Brazilië", "Brazil"),
    ("BY", "Belarus", "Belarus"),
    ("CA", "Canada", "Canada"),
    ("CH", "Zwitserland", "Switzerland"),
    ("CI", "Ivoorkust", "Côte d'Ivoire"),
    ("CN", "China", "China"),
    ("CO", "Colombia", "Colombia"),
    ("CV", "Kaapverdië", "Cabo Verde"),
    ("CW", "Curaçao", "Curaçao"),
    ("CY", "Cyprus", "Cyprus"),
    ("CZ", "Tsjechië", "Czechia"),
    ("DE", "Duitsland", "Germany"),
    ("DZ", "Algerije", "Algeria"),
    ("EE", "Estland", "Estonia"),
    ("EG", "Egypte", "Egypt"),
    ("ER", "Eritrea", "Eritrea"),
    ("ES", "Spanje", "Spain"),
    ("ET", "Ethiopië", "Ethiopia"),
    ("FI", "Finland", "Finland"),
    ("FR", "Frankrijk", "France"),
    ("GB", "Verenigd Koninkrijk", "United Kingdom"),
    ("GE", "Georgië", "Georgia"),
    ("GM", "Gambia", "Gambia"),
    ("GN", "Guinee", "Guinea"),
    ("GR", "Griekenland", "Greece"),
    ("HK", "Hongkong", "Hong Kong"),
    ("HR", "Kroatië", "Croatia"),
    ("HU", "Hongarije", "Hungary"),
    ("ID", "Indonesië", "Indonesia"),
    ("IE", "Ierland", "Ireland"),
    ("IN", "India", "India"),
    ("IQ", "Irak", "Iraq"),
    ("IR", "Iran", "Iran"),
    ("IS", "IJsland", "Iceland"),
    ("IT", "Italië", "Italy"),
    ("JO", "Jordanië", "Jordan"),
    ("JP", "Japan", "Japan"),
    ("KE", "Kenia", "Kenya"),
    ("KR", "Zuid-Korea", "South Korea"),
    ("KZ", "Kazachstan", "Kazakhstan"),
    ("LB", "Libanon", "Lebanon"),
    ("LI", "Liechtenstein", "Liechtenstein"),
    ("LK", "Sri Lanka", "Sri Lanka"),
    ("LT", "Litouwen", "Lithuania"),
    ("LU", "Luxemburg", "Luxembourg"),
    ("LV", "Letland", "Latvia"),
    ("LY", "Libië", "Libya"),
    ("MA", "Marokko", "Morocco"),
    ("MC", "Monaco", "Monaco"),
    ("MD", "Moldavië", "Moldova"),
    ("ME", "Montenegro", "Montenegro"),
    ("MK", "Noord-Macedonië", "North Macedonia"),
    ("ML", "Mali", "Mali"),
    ("MN", "Mongolië", "Mongolia"),
    ("MO", "Macao", "Macao"),
    ("MR", "Mauritanië", "Mauritania"),
    ("MT", "Malta", "Malta"),
    ("NE", "Niger", "Niger"),
    ("NG", "Nigeria", "Nigeria"),
    ("NL", "Nederland", "Netherlands"),
    ("NO", "Noorwegen", "Norway"),
    ("NZ", "Nieuw-Zeeland", "New Zealand"),
    ("PE", "Peru", "Peru"),
    ("PH", "Filipijnen", "Philippines"),
    ("PK", "Pakistan", "Pakistan"),
    ("PL", "Polen", "Poland"),
    ("PT", "Portugal", "Portugal"),
    ("RO", "Roemenië", "Romania"),
    ("RS", "Servië", "Serbia"),
    ("RU", "Rusland", "Russia"),
    ("SD", "Soedan", "Sudan"),
    ("SE", "Zweden", "Sweden"),
    ("SI", "Slovenië", "Slovenia"),
    ("SK", "Slowakije", "Slovakia"),
    ("SN", "Senegal", "Senegal"),
    ("SS", "Zuid-Soedan", "South Sudan"),
    ("SY", "Syrië", "Syria"),
    ("TD", "Tsjaad", "Chad"),
    ("TN", "Tunesië", "Tunisia"),
    ("TR", "Turkije", "Türkiye"),
    ("TW", "Taiwan", "Taiwan"),
    ("UA", "Oekraïne", "Ukraine"),
    ("UG", "Oeganda", "Uganda"),
    ("US", "Verenigde Staten", "United States"),
    ("UY", "Uruguay", "Uruguay"),
    ("VA", "Vaticaanstad", "Vatican City"),
    ("VE", "Venezuela", "Venezuela"),
    ("XK", "Kosovo", "Kosovo"),
    ("YE", "Jemen", "Yemen"),
    ("ZA", "Zuid-Afrika", "South Africa"),
]

ALT_LABELS = {
    "BA": [("Bosnië-Herzegovina", "nl")],
    "BY": [("Wit-Rusland", "nl")],
    "HK": [("Hong Kong", "nl")],
    "TR": [("Turkey", "en")],
    "CZ": [("Czech Republic", "en")],
}


def esc(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"')


def load() -> dict[str, tuple[str, str]]:
    out = {iso: (nl, en) for iso, nl, en in COUNTRIES}
    if EXTRA.exists():
        with EXTRA.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(r for r in fh if not r.startswith("#")):
                iso = (row.get("iso") or "").strip().upper()
                if len(iso) == 2 and iso not in out:
                    out[iso] = ((row.get("nl") or iso).strip(), (row.get("en") or "").strip())
    return out


def main() -> int:
    lines = [
        "# Countries and nationalities named in De Staat van Migratie 2025, with ISO 3166-1 alpha-2 codes.",
        "# Generated by app/stats/build_landen.py (plus data/stats/landen-extra.csv); do not edit by hand.",
        "",
        "@prefix mkg: <https://w3id.org/migratie-kg/def#> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix prov: <http://www.w3.org/ns/prov#> .",
        "@prefix land: <https://w3id.org/migratie-kg/id/land/> .",
        "",
        "<https://w3id.org/migratie-kg/id/land> a skos:ConceptScheme ;",
        '    rdfs:label "landen en nationaliteiten"@nl , "countries and nationalities"@en ;',
        '    skos:prefLabel "landen en nationaliteiten"@nl , "countries and nationalities"@en ;',
        '    rdfs:comment "Landen die De Staat van Migratie 2025 noemt, met hun ISO 3166-1 alpha-2-code."@nl ,',
        '        "Countries named in De Staat van Migratie 2025, with their ISO 3166-1 alpha-2 code."@en ;',
        "    prov:wasDerivedFrom <https://w3id.org/migratie-kg/id/bron/staat-van-migratie-2025> .",
        "",
    ]
    for iso, (nl, en) in sorted(load().items()):
        lines.append(f"land:{iso.lower()} a skos:Concept ;")
        labels = f'"{esc(nl)}"@nl' + (f' , "{esc(en)}"@en' if en else "")
        lines.append(f"    skos:prefLabel {labels} ;")
        lines.append(f"    rdfs:label {labels} ;")
        for alt, lang in ALT_LABELS.get(iso, []):
            lines.append(f'    skos:altLabel "{esc(alt)}"@{lang} ;')
        lines.append(f'    mkg:isoCode "{iso}" ;')
        lines.append("    skos:inScheme <https://w3id.org/migratie-kg/id/land> .")
        lines.append("")
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
