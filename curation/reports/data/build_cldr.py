"""Regenerate `cldr_territories.json` from Unicode CLDR's supplemental data (UN M49 territory containment).

Run by hand when CLDR changes (`apt-get install unicode-cldr-core`, then
`python curation/reports/data/build_cldr.py [path/to/supplementalData.xml]`); the reports read only the JSON,
so nothing at run time depends on the Debian package. Babel ships CLDR's names but not its containment.
"""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

DEFAULT_SOURCE = Path("/usr/share/unicode/cldr/common/supplemental/supplementalData.xml")
OUT = Path(__file__).with_name("cldr_territories.json")
CONTINENTS = ("002", "019", "142", "150", "009")  # Africa, Americas, Asia, Europe, Oceania (UN M49)


def build(source: Path) -> dict[str, object]:
    root = ET.parse(source).getroot()
    dtd = source.parent.parent / "dtd" / "ldmlSupplemental.dtd"
    found = re.search(r'cldrVersion CDATA #FIXED "([^"]+)"', dtd.read_text()) if dtd.exists() else None
    children: dict[str, list[str]] = {}
    groups: dict[str, list[str]] = {}
    for group in root.iter("group"):
        if group.get("status") == "deprecated":
            continue
        parent, members = group.get("type", ""), group.get("contains", "").split()
        if group.get("status") == "grouping" or group.get("grouping") == "true":
            if parent in ("EU", "UN"):
                groups[parent] = sorted(members)
            continue
        children.setdefault(parent, []).extend(members)
    subregion: dict[str, str] = {}
    continent: dict[str, str] = {}
    for cont in CONTINENTS:
        for sub in children.get(cont, []):
            for code in children.get(sub, []):
                if code.isalpha():
                    subregion[code] = sub
                    continent[code] = cont
    return {
        "source": f"Unicode CLDR {found.group(1) if found else '?'}, territoryContainment",
        "continent": dict(sorted(continent.items())),
        "subregion": dict(sorted(subregion.items())),
        "groups": groups,
    }


if __name__ == "__main__":
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE
    OUT.write_text(json.dumps(build(src), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
