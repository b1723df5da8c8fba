"""Issue 12: one vocabulary. The glossary (sessions/glossary.yaml) is binding on the module files and on the
UI catalogs' msgstr; every refused variant is named with its file, its line and the preferred term."""
import shutil
import textwrap
from pathlib import Path

import pytest

from app.content import ContentError
from app.content.glossary import catalog_texts, glossary_problems, load_glossary, yaml_texts

ROOT = Path(__file__).resolve().parents[2]
SESSIONS = ROOT / "sessions"


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(SESSIONS / "glossary.yaml")


def test_the_glossary_has_every_key_word(glossary):
    for key in ("max", "grooming", "sextortion", "teen-pimp", "red-flag", "skip", "nickname", "counsellor",
                "session", "truefalse", "agree", "trusted-flagger", "phone", "join"):
        assert set(glossary.terms[key]) == {"nl", "fr", "en"}, key
    assert glossary.preferred("red-flag", "fr") == "signal d'alerte"
    assert glossary.preferred("teen-pimp", "nl") == "tienerpooier"
    assert glossary.preferred("agree", "fr") == "D'accord / Pas sûre / Pas d'accord"


def test_shipped_content_and_catalogs_use_the_glossary(glossary):
    """Fails, naming file:line and the preferred term, when a module file or a catalog uses a refused word."""
    problems = glossary_problems(glossary, SESSIONS)
    assert problems == [], "\n" + "\n".join(problems)


def test_catalogs_use_the_glossary(glossary):
    problems = [p for p in glossary_problems(glossary, SESSIONS) if p.startswith("app/translations/")]
    assert problems == [], "\n" + "\n".join(problems)


# ------------------------------------------------------------- on made-up files

def _module(tmp_path, body, name="module1.yaml"):
    directory = tmp_path / "sessions"
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(textwrap.dedent(body), encoding="utf-8")
    return directory


def _problems(glossary, directory):
    # catalogs_root without catalogs: only the made-up module files are checked
    return glossary_problems(glossary, directory, catalogs_root=directory)


def test_refused_variant_is_named_with_file_line_and_preferred_term(glossary, tmp_path):
    directory = _module(tmp_path, """\
        items:
          - id: m1-a
            message:
              nl: "Pak je smartphone en kijk naar het waarschuwingssignaal."
              fr: "Prends ton GSM."
              en: "That is a warning sign."
            question: {nl: "Feit of fabel?", fr: "Fait ou fable : Sara a raison ?", en: "True or false: she is right."}
        """)
    assert _problems(glossary, directory) == [
        'sessions/module1.yaml:4: nl "waarschuwingssignaal" is refused, say "rode vlag" (red-flag)',
        'sessions/module1.yaml:4: nl "smartphone" is refused, say "gsm" (phone)',
        'sessions/module1.yaml:6: en "warning sign" is refused, say "red flag" (red-flag)',
        'sessions/module1.yaml:7: fr "Fait ou fable" is refused, say "Vrai / Faux (« Vrai ou faux : … », '
        '« Faux ! … »)" (truefalse)',
    ]


def test_a_word_is_only_refused_in_its_own_language(glossary, tmp_path):
    directory = _module(tmp_path, """\
        text: {nl: "Een sessie op je gsm", fr: "Une séance sur ton smartphone", en: "A session on your smartphone"}
        """)
    assert _problems(glossary, directory) == [
        'sessions/module1.yaml:1: fr "smartphone" is refused, say "GSM" (phone)']


def test_loverboy_may_be_quoted_once_per_language_in_module5_only(glossary, tmp_path):
    once = ("content_note: {nl: \"Vroeger zei men 'loverboy'.\", fr: \"On disait « loverboy ».\", "
            "en: \"People used to say 'loverboy'.\"}\n")
    directory = _module(tmp_path, once, name="module5.yaml")
    assert _problems(glossary, directory) == []
    twice = once + "info: {nl: \"Een loverboy is ...\", fr: \"Un proxénète d'ados\", en: \"A teen pimp\"}\n"
    directory = _module(tmp_path, twice, name="module5.yaml")
    assert _problems(glossary, directory) == [
        'sessions/module5.yaml:2: nl "loverboy" is refused, say "tienerpooier" (teen-pimp)']
    (directory / "module5.yaml").unlink()
    directory = _module(tmp_path, once, name="module2.yaml")
    assert len(_problems(glossary, directory)) == 3  # anywhere else, never


def test_button_words_are_refused_only_as_the_whole_text(glossary, tmp_path):
    directory = _module(tmp_path, """\
        options:
          - text: {nl: "Feit", fr: "Vrai", en: "Fable"}
          - text: {nl: "Fabel", fr: "Faux", en: "A fable about a fox"}
        """)
    assert _problems(glossary, directory) == [
        'sessions/module1.yaml:2: en "Fable" is refused, say "True / False ("True or false: …", "False! …")" '
        '(truefalse)']


def test_girls_only_rules_skip_staff_fields(glossary, tmp_path):
    directory = _module(tmp_path, """\
        staff_notes: {nl: "x", fr: "Si elle est déconnecté·e, vous ne devez pas insister.", en: "x"}
        answer_key: {nl: "x", fr: "Tu ne dois pas répondre, dites-le.", en: "Her pseudonym stays private."}
        question: {nl: "x", fr: "Tu ne dois pas répondre.", en: "Choose a pseudonym."}
        """)
    assert _problems(glossary, directory) == [
        'sessions/module1.yaml:3: fr "tu ne dois pas" is refused, say "tu n\'es pas obligée / tu n\'as jamais à" '
        '(style)',
        'sessions/module1.yaml:3: en "pseudonym" is refused, say "nickname" (nickname)']


def test_allowed_phrases_and_web_addresses(glossary, tmp_path):
    directory = _module(tmp_path, """\
        info: {nl: "Bel 116 000 of kijk op 116000.be", fr: "Appelle le 116000", en: "Call 116 000"}
        """)
    assert _problems(glossary, directory) == [
        'sessions/module1.yaml:1: fr "116000(?!\\.(be|eu))" is refused, say "116 000" (helpline)']


def test_catalog_msgstr_are_checked_with_their_line(glossary, tmp_path):
    root = tmp_path / "root"
    po = root / "app/translations/nl/LC_MESSAGES/messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(textwrap.dedent('''\
        msgid ""
        msgstr ""
        "Language: nl\\n"

        #: templates/facilitator/run.html
        msgid "Joining"
        msgstr "Aansluiten"

        #: templates/participant/join.html
        msgid "Keep your phone"
        msgstr ""
        "Hou je "
        "smartphone bij je"

        msgid "smartphone"
        msgstr "gsm"
        '''), encoding="utf-8")
    directory = _module(tmp_path, "text: {nl: a, fr: b, en: c}\n")
    assert glossary_problems(glossary, directory, catalogs_root=root) == [
        'app/translations/nl/LC_MESSAGES/messages.po:7: nl "aansluiten" is refused, say "Meedoen" (join)',
        'app/translations/nl/LC_MESSAGES/messages.po:11: nl "smartphone" is refused, say "gsm" (phone)']
    texts = catalog_texts(po, "nl")
    assert [(line, text, girls) for line, _, text, girls in texts] == [
        (7, "Aansluiten", False), (11, "Hou je smartphone bij je", True), (16, "gsm", False)]


def test_an_anchor_used_twice_is_reported_once(glossary, tmp_path):
    directory = _module(tmp_path, """\
        title: &t {nl: "chagrijnig", fr: "de mauvaise humeur", en: "grumpy"}
        aim: *t
        """)
    assert [(line, lang) for line, lang, _, _ in yaml_texts(directory / "module1.yaml")] == [
        (1, "nl"), (1, "fr"), (1, "en")]
    assert _problems(glossary, directory) == [
        'sessions/module1.yaml:1: nl "chagrijnig" is refused, say "slechtgezind" (style)']


@pytest.mark.parametrize("body, expected", [
    ("terms: {}", "field terms: the file must hold one list 'terms'"),
    ("terms:\n  - {key: x, nl: {use: a}, fr: {use: b}}", "terms[0] (x): needs nl, fr and en"),
    ("terms:\n  - {key: x, nl: {use: a, avoid: [{wrd: b}]}, fr: {use: b}, en: {use: c}}",
     "terms[0] (x): field nl.avoid[0]: a word, or a mapping with word: or pattern:"),
    ("terms:\n  - {key: x, nl: {use: a, avoid: [{pattern: '('}]}, fr: {use: b}, en: {use: c}}",
     "terms[0] (x): field nl.avoid[0]: bad pattern"),
])
def test_a_broken_glossary_is_one_line(tmp_path, body, expected):
    path = tmp_path / "sessions" / "glossary.yaml"
    path.parent.mkdir()
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_glossary(path)
    assert str(info.value).startswith("sessions/glossary.yaml: ") and expected in str(info.value)
    assert "\n" not in str(info.value)


def test_content_check_reports_glossary_problems(tmp_path):
    from app import create_app
    from config import TestConfig

    directory = tmp_path / "sessions"
    shutil.copytree(SESSIONS, directory)
    path = directory / "module2.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('fr: "', 'fr: "Un smartphone : ', 1), encoding="utf-8")
    runner = create_app(TestConfig).test_cli_runner()
    result = runner.invoke(args=["gps", "content", "check", "--dir", str(directory)])
    assert result.exit_code == 1
    assert 'sessions/module2.yaml:' in result.output and 'fr "smartphone" is refused, say "GSM" (phone)' in result.output


def test_curly_apostrophes_and_no_break_spaces_do_not_hide_a_variant(glossary, tmp_path):
    directory = _module(tmp_path, """\
        info: {nl: "x", fr: "Un signal d\u2019alarme et Je ne sais pas\u00a0trop", en: "x"}
        """)
    assert _problems(glossary, directory) == [
        'sessions/module1.yaml:1: fr "signal d\'alarme" is refused, say "signal d\'alerte" (red-flag)',
        'sessions/module1.yaml:1: fr "Je ne sais pas trop" is refused, say "D\'accord / Pas sûre / Pas d\'accord" (agree)']
