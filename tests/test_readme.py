"""The README's reference tables are made from the code; a change to an option, a dosage field or a roster
column that is not in the README fails here. `python -m worksheet._reference` remakes them."""

from worksheet import _reference


def test_every_reference_table_is_in_the_readme():
    readme = _reference.README.read_text(encoding="utf-8")
    for name in _reference.TABLES:
        assert f"<!-- reference:{name} -->\n" in readme, name


def test_the_readme_tables_are_what_the_code_says():
    readme = _reference.README.read_text(encoding="utf-8")
    assert _reference.updated(readme) == readme, "README.md is stale: run `python -m worksheet._reference`"


def test_a_stale_table_is_caught():
    readme = _reference.README.read_text(encoding="utf-8")
    stale = readme.replace("| `--only ID,...` |", "| `--only IDS` |", 1)
    assert stale != readme and _reference.updated(stale) == readme
