"""The known sources that seed the Source table, and the name key they are stored under."""

from annotations.citations import KNOWN_SOURCES, SOURCE_KINDS, normalize_name


def test_known_sources_have_valid_kinds_and_distinct_names():
    assert {source["kind"] for source in KNOWN_SOURCES} <= set(SOURCE_KINDS)
    keys = [normalize_name(source["name"]) for source in KNOWN_SOURCES]
    assert len(keys) == len(set(keys))
    for source in KNOWN_SOURCES:
        assert set(source) == {"name", "kind", "aliases", "url"}
        assert len(source["name"]) <= 300


def test_known_sources_include_the_ones_the_corpus_cites():
    by_name = {source["name"]: source for source in KNOWN_SOURCES}
    assert by_name["RAND Corporation"]["kind"] == "think_tank"
    assert "RAND" in by_name["RAND Corporation"]["aliases"]
    assert by_name["The Washington Post"]["kind"] == "outlet"
    assert by_name["Associated Press"]["aliases"] == ["AP"]
    assert by_name["Reuters"]["aliases"] == ["Reuters"]
    assert by_name["U.S. Department of State"]["kind"] == "government"
    assert "State Department" in by_name["U.S. Department of State"]["aliases"]
    assert {"UN", "U.N."} <= set(by_name["United Nations"]["aliases"])
    assert "ECFR" in by_name["European Council on Foreign Relations"]["aliases"]


def test_normalize_name_is_the_source_models_rule():  # the model imports it from here
    from annotations.models import normalize_name as model_normalize_name

    for name in [
        "The Washington Post",
        "washington  post.",
        "U.S. Department of State",
        "Nejat (2014), The Islamic Republic of Iran's Foreign Policy",
        "Institut Montaigne",
        "Hürriyet",
        "The",
    ]:
        assert normalize_name(name) == model_normalize_name(name)
