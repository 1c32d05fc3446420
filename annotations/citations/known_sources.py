"""The sources a corpus on Syria, Iran and Russia commonly cites, which a data migration
loads into the Source table."""

from __future__ import annotations

from typing import Any

from annotations.citations.names import normalize_name

SOURCE_KINDS = ("outlet", "think_tank", "government", "academic", "official", "anonymous", "other")


def _known(name: str, kind: str, aliases: list[str], url: str) -> dict[str, Any]:
    return {"name": name, "kind": kind, "aliases": aliases, "url": url}


# Sources a corpus on Syria, Iran and Russia commonly cites, to seed the Source table.
KNOWN_SOURCES: list[dict[str, Any]] = [
    # News outlets and agencies
    _known("The Washington Post", "outlet", [], "https://www.washingtonpost.com"),
    _known("The New York Times", "outlet", ["NYT"], "https://www.nytimes.com"),
    _known("Reuters", "outlet", ["Reuters"], "https://www.reuters.com"),
    _known("Associated Press", "outlet", ["AP"], "https://apnews.com"),
    _known("BBC", "outlet", ["British Broadcasting Corporation"], "https://www.bbc.com"),
    _known("Al Jazeera", "outlet", ["Aljazeera"], "https://www.aljazeera.com"),
    _known("Al Arabiya", "outlet", [], "https://www.alarabiya.net"),
    _known("Al-Monitor", "outlet", [], "https://www.al-monitor.com"),
    _known("TASS", "outlet", ["ITAR-TASS"], "https://tass.com"),
    _known("RIA Novosti", "outlet", [], "https://ria.ru"),
    _known("Sputnik", "outlet", [], "https://sputnikglobe.com"),
    _known("RT", "outlet", ["Russia Today"], "https://www.rt.com"),
    _known("Syrian Arab News Agency", "outlet", ["SANA"], "https://sana.sy"),
    _known("Islamic Republic News Agency", "outlet", ["IRNA"], "https://www.irna.ir"),
    _known("Tasnim News Agency", "outlet", ["Tasnim"], "https://www.tasnimnews.com"),
    _known("Fars News Agency", "outlet", ["Fars News"], "https://www.farsnews.ir"),
    _known("Press TV", "outlet", [], "https://www.presstv.ir"),
    _known("Anadolu Agency", "outlet", ["Anadolu"], "https://www.aa.com.tr"),
    _known("New Eastern Outlook", "outlet", ["NEO"], "https://journal-neo.su"),
    # Think tanks
    _known("RAND Corporation", "think_tank", ["RAND"], "https://www.rand.org"),
    _known("Brookings Institution", "think_tank", ["Brookings"], "https://www.brookings.edu"),
    _known(
        "Carnegie Endowment for International Peace",
        "think_tank",
        ["Carnegie"],
        "https://carnegieendowment.org",
    ),
    _known("Atlantic Council", "think_tank", [], "https://www.atlanticcouncil.org"),
    _known(
        "Chatham House",
        "think_tank",
        ["Royal Institute of International Affairs"],
        "https://www.chathamhouse.org",
    ),
    _known(
        "The Washington Institute for Near East Policy",
        "think_tank",
        ["The Washington Institute", "WINEP"],
        "https://www.washingtoninstitute.org",
    ),
    _known(
        "Belfer Center for Science and International Affairs",
        "think_tank",
        ["Belfer Center"],
        "https://www.belfercenter.org",
    ),
    _known(
        "Institut Montaigne",
        "think_tank",
        ["Institute Montaigne"],
        "https://www.institutmontaigne.org",
    ),
    _known("European Council on Foreign Relations", "think_tank", ["ECFR"], "https://ecfr.eu"),
    _known(
        "Center for Strategic and International Studies",
        "think_tank",
        ["CSIS"],
        "https://www.csis.org",
    ),
    _known(
        "International Crisis Group", "think_tank", ["Crisis Group"], "https://www.crisisgroup.org"
    ),
    # Governments and official bodies
    _known(
        "U.S. Department of State",
        "government",
        ["State Department", "US Department of State"],
        "https://www.state.gov",
    ),
    _known(
        "Pentagon",
        "government",
        ["U.S. Department of Defense", "US Department of Defense"],
        "https://www.defense.gov",
    ),
    _known("The Kremlin", "government", ["Kremlin"], "http://www.kremlin.ru"),
    _known(
        "Russian Ministry of Defence",
        "government",
        ["Russian Ministry of Defense", "Russian Defence Ministry", "Russian Defense Ministry"],
        "https://eng.mil.ru",
    ),
    _known(
        "Iranian Foreign Ministry",
        "government",
        ["Iranian Ministry of Foreign Affairs", "Iran's Foreign Ministry"],
        "https://en.mfa.ir",
    ),
    _known(
        "Islamic Revolutionary Guard Corps",
        "government",
        ["IRGC", "Islamic Revolutionary Guards Corps", "Revolutionary Guards"],
        "",
    ),
    _known("United Nations", "government", ["UN", "U.N."], "https://www.un.org"),
    _known(
        "Organisation for the Prohibition of Chemical Weapons",
        "government",
        ["OPCW", "Organization for the Prohibition of Chemical Weapons"],
        "https://www.opcw.org",
    ),
    _known("Syrian Observatory for Human Rights", "other", ["SOHR"], "https://www.syriahr.com/en"),
]


def load_known_sources(source_model) -> int:
    """Add the known sources that are missing to the given Source model (a data
    migration passes its historical model); returns how many were added."""
    existing = set(source_model.objects.values_list("normalized_name", flat=True))
    missing = [
        source_model(
            name=known["name"],
            normalized_name=normalize_name(known["name"]),
            kind=known["kind"],
            aliases=known.get("aliases", []),
            url=known.get("url", ""),
        )
        for known in KNOWN_SOURCES
        if normalize_name(known["name"]) not in existing
    ]
    source_model.objects.bulk_create(missing)
    return len(missing)
