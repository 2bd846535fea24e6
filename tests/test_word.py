"""The draft response as a Word document: saved, reopened with python-docx, and read back."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree

from exports.draft_model import Block, Draft, Section
from exports.make_template import build_template
from exports.word import write_docx
from exports.word_sections import TOC_INSTRUCTION
from exports.word_template import STYLES, TEMPLATE_PATH
from exports.word_text import plain_text

PARTNERSHIP = "Northern Ireland Strategic Migration Partnership"
TITLE = "Restoring control over the immigration system: earned settlement"


def annex_rows(count: int = 4) -> list[list[str]]:
    organisations = [
        ("Belfast City Council", "Council", "Q1", "Disagree", "Housing and accommodation"),
        ("A health partner", "Health", "Q1", "Disagree", "Health and wellbeing"),
        ("Partner 3", "Voluntary and community sector", "Q1", "Unsure", "Settlement"),
        ("Derry City and Strabane District Council", "Council", "Q2", "Agree", "ESOL"),
    ]
    body = [list(organisations[i % len(organisations)]) for i in range(count)]
    return [["Organisation", "Sector", "Question", "Position", "Themes"], *body]


def sample_draft(**changes: object) -> Draft:
    """A small response with every kind of block, as assembly would make it."""
    draft = Draft(
        partnership=PARTNERSHIP,
        title=TITLE,
        reference="HO-2026-ES-04",
        department="Home Office",
        prepared_on=date(2026, 11, 29),
        status="Draft v3 for board review",
        sections=[
            Section("cover", "Cover"),
            Section(
                "about",
                "About the partnership and this response",
                [
                    Block(
                        "paragraph",
                        "The partnership brings together the region's 11 councils, health and "
                        "housing bodies, the police and the voluntary sector.\n\n"
                        "Fourteen partners from five sectors contributed to this response.",
                    )
                ],
            ),
            Section(
                "summary",
                "Summary of key points",
                [
                    Block("paragraph", "Partners mostly disagreed with the proposals."),
                    Block(
                        "point",
                        "A ten-year qualifying period would push more families into destitution.",
                        [1, 2, 3, 4, 5],
                        partners=5,
                    ),
                    Block(
                        "point", "The Common Travel Area needs explicit guidance.", [8], partners=1
                    ),
                ],
            ),
            Section(
                "question-1",
                "Question 1: Should the qualifying period for settlement rise to ten years?",
                [
                    Block(
                        "paragraph",
                        "Of 14 partners who answered, 9 disagreed, 3 agreed and 2 were unsure.",
                    ),
                    Block("subheading", "Housing and accommodation", theme="accommodation"),
                    Block(
                        "point",
                        "Longer temporary status makes landlords reluctant to let to families.",
                        [1, 2, 3, 4],
                        partners=4,
                    ),
                    Block(
                        "quote",
                        "Families on temporary leave are the group we struggle most to place.",
                        [1],
                        attribution="Belfast City Council",
                    ),
                    Block(
                        "figure",
                        "Presentations by households with limited leave rose by 38% in 2025.",
                        [2],
                        attribution="Northern Ireland Housing Executive",
                    ),
                    Block("subheading", "Health and wellbeing", theme="health"),
                    Block(
                        "quote",
                        "We see the effect of insecure status on children's mental health.",
                        [5],
                        attribution="a health partner",
                    ),
                    Block("quote", "People stop planning their lives while they wait.", [6]),
                    Block(
                        "point", "An excluded point about ferries.", [9], partners=3, included=False
                    ),
                    Block(
                        "quote",
                        "An excluded quote.",
                        [9],
                        attribution="Secret Council",
                        included=False,
                    ),
                    Block("subheading", "A theme with nothing left under it", theme="funding"),
                    Block("point", "Excluded too.", [10], partners=2, included=False),
                ],
                question_id=1,
            ),
            Section(
                "question-2",
                "Question 2: Should the English requirement rise to B2?",
                [Block("point", "Every excluded block.", [11], included=False)],
                question_id=2,
            ),
            Section(
                "annex",
                "Annex: the answers behind this response",
                [Block("table", rows=annex_rows())],
            ),
        ],
    )
    return dataclasses.replace(draft, **changes)


def reopen(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def paragraphs_in(document: Document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def body_text(document: Document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_write_docx_heads_each_section_and_theme_with_named_heading_styles():
    document = reopen(write_docx(sample_draft()))

    assert paragraphs_in(document, "Heading 1") == [
        "About the partnership and this response",
        "Summary of key points",
        "Question 1: Should the qualifying period for settlement rise to ten years?",
        "Annex: the answers behind this response",
    ]
    assert paragraphs_in(document, "Heading 2") == [
        "Housing and accommodation",
        "Health and wellbeing",
    ]


def test_write_docx_title_page_names_partnership_consultation_reference_date_and_status():
    document = reopen(write_docx(sample_draft()))

    assert paragraphs_in(document, "Cover Partnership") == [PARTNERSHIP]
    assert paragraphs_in(document, "Title") == [TITLE]
    assert paragraphs_in(document, "Subtitle") == [
        "A regional response to the Home Office consultation"
    ]
    assert paragraphs_in(document, "Cover Detail") == [
        "Reference\tHO-2026-ES-04",
        "Department\tHome Office",
        "Date\tSunday 29 November 2026",
    ]
    assert paragraphs_in(document, "Cover Status") == ["Draft v3 for board review"]


def test_write_docx_points_are_bullets_in_the_words_the_draft_gives_them():
    document = reopen(write_docx(sample_draft()))

    bullets = [p for p in document.paragraphs if p.style.name == "List Bullet"]
    assert [p.text for p in bullets] == [
        "A ten-year qualifying period would push more families into destitution.",
        "The Common Travel Area needs explicit guidance.",
        "Longer temporary status makes landlords reluctant to let to families.",
    ]


def test_write_docx_quotes_are_in_the_quote_style_with_an_attribution_line_when_named():
    document = reopen(write_docx(sample_draft()))
    styled = [(p.style.name, p.text) for p in document.paragraphs]

    start = styled.index(
        ("Quote", "“Families on temporary leave are the group we struggle most to place.”")
    )
    assert styled[start + 1] == ("Quote Attribution", "— Belfast City Council")
    sector = styled.index(
        ("Quote", "“We see the effect of insecure status on children's mental health.”")
    )
    assert styled[sector + 1] == ("Quote Attribution", "— a health partner")
    anonymous = styled.index(("Quote", "“People stop planning their lives while they wait.”"))
    assert styled[anonymous + 1][0] != "Quote Attribution"
    assert paragraphs_in(document, "Quote Attribution") == [
        "— Belfast City Council",
        "— a health partner",
    ]


def test_write_docx_keeps_a_quote_that_already_has_quotation_marks_as_it_is():
    quote = Block("quote", "“Already quoted.”", [1], attribution="Belfast City Council")
    draft = sample_draft(sections=[Section("summary", "Summary", [quote])])

    assert paragraphs_in(reopen(write_docx(draft)), "Quote") == ["“Already quoted.”"]


def test_write_docx_figures_are_evidence_panels_with_their_source():
    document = reopen(write_docx(sample_draft()))

    [figure] = [p for p in document.paragraphs if p.style.name == "Evidence Figure"]
    assert figure.text == (
        "Presentations by households with limited leave rose by 38% in 2025."
        " — Northern Ireland Housing Executive"
    )
    assert figure.runs[-1].style.name == "Attribution"


def test_write_docx_annex_table_has_every_row_and_a_header_repeated_on_each_page():
    document = reopen(write_docx(sample_draft()))

    [table] = document.tables
    assert table.style.name == "Response Table"
    assert [cell.text for cell in table.rows[0].cells] == [
        "Organisation",
        "Sector",
        "Question",
        "Position",
        "Themes",
    ]
    assert [cell.text for cell in table.rows[1].cells] == [
        "Belfast City Council",
        "Council",
        "Q1",
        "Disagree",
        "Housing and accommodation",
    ]
    assert len(table.rows) == 5
    header_properties = table.rows[0]._tr.trPr
    assert header_properties.find(qn("w:tblHeader")) is not None
    assert table.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
    assert {p.style.name for p in table.rows[0].cells[0].paragraphs} == {"Table Heading"}
    assert {p.style.name for p in table.rows[1].cells[0].paragraphs} == {"Table Text"}


def test_write_docx_writes_all_rows_of_a_large_annex():
    draft = sample_draft(
        sections=[Section("annex", "Annex", [Block("table", rows=annex_rows(1_200))])]
    )

    [table] = reopen(write_docx(draft)).tables

    assert len(table.rows) == 1_201
    assert table.rows[-1].cells[0].text == "Derry City and Strabane District Council"


def test_write_docx_separates_two_tables_that_follow_each_other():
    tables = [Block("table", rows=annex_rows(1)), Block("table", rows=annex_rows(2))]
    document = reopen(write_docx(sample_draft(sections=[Section("annex", "Annex", tables)])))

    assert [len(table.rows) for table in document.tables] == [2, 3]
    first = document.tables[0]._tbl
    assert first.getnext().tag == qn("w:p")


def test_write_docx_header_and_footer_carry_partnership_status_and_page_numbers():
    document = reopen(write_docx(sample_draft()))
    section = document.sections[0]

    assert section.header.paragraphs[0].text == f"{PARTNERSHIP}\tHO-2026-ES-04"
    assert section.header.paragraphs[0].style.name == "Header"
    footer = section.footer.paragraphs[0]
    assert footer.style.name == "Footer"
    assert footer.text == "Draft v3 for board review\tPage 1 of 1"
    instructions = [text.text.strip() for text in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert section.different_first_page_header_footer
    assert section.first_page_header.paragraphs[0].text == ""


def test_write_docx_approved_version_says_so_on_cover_header_and_properties():
    document = reopen(write_docx(sample_draft(), approved_on=date(2026, 12, 11)))

    approved = "Approved by the Board on Friday 11 December 2026"
    assert paragraphs_in(document, "Cover Status") == [approved]
    assert document.sections[0].footer.paragraphs[0].text.startswith(f"{approved}\tPage ")
    assert document.core_properties.content_status == approved
    assert "Draft v3" not in body_text(document)


def test_write_docx_sets_core_properties_from_the_draft():
    properties = reopen(write_docx(sample_draft())).core_properties

    assert properties.title == TITLE
    assert properties.author == PARTNERSHIP
    assert properties.subject == "Regional response to the Home Office consultation HO-2026-ES-04"
    assert properties.created.date() == date(2026, 11, 29)
    assert properties.language == "en-GB"
    assert properties.comments == "Draft v3 for board review"


def test_write_docx_cuts_a_title_too_long_for_the_properties_but_not_the_cover():
    title = "A consultation " * 30
    document = reopen(write_docx(sample_draft(title=title)))

    assert len(document.core_properties.title) == 255
    assert document.core_properties.title.endswith("…")
    assert paragraphs_in(document, "Title") == [title.strip()]


def test_write_docx_contents_is_a_toc_field_that_word_updates_on_opening():
    data = write_docx(sample_draft())
    document = reopen(data)
    body = document.element.body

    [instruction] = [text.text for text in body.iter(qn("w:instrText")) if "TOC" in text.text]
    assert instruction.strip() == TOC_INSTRUCTION
    assert paragraphs_in(document, "TOC Heading") == ["Contents"]
    assert paragraphs_in(document, "toc 1")[:2] == [
        "About the partnership and this response",
        "Summary of key points",
    ]
    assert paragraphs_in(document, "toc 2") == []  # theme subheadings stay out of the contents
    anchors = [link.get(qn("w:anchor")) for link in body.iter(qn("w:hyperlink"))]
    bookmarks = [mark.get(qn("w:name")) for mark in body.iter(qn("w:bookmarkStart"))]
    assert len(anchors) == len(paragraphs_in(document, "toc 1"))
    assert set(anchors) <= set(bookmarks)
    assert len({name for name in bookmarks if name.startswith("_Toc")}) == 6
    update = document.settings.element.find(qn("w:updateFields"))
    assert update.get(qn("w:val")) == "true"


def test_write_docx_contents_field_is_whole_when_there_are_no_sections():
    document = reopen(write_docx(sample_draft(sections=[])))

    assert field_kinds(document.element.body) == ["begin", "separate", "end"]
    assert paragraphs_in(document, "toc 1") == ["Update this field to list the sections."]


def field_kinds(element: etree._Element) -> list[str]:
    return [char.get(qn("w:fldCharType")) for char in element.iter(qn("w:fldChar"))]


def test_write_docx_every_field_begins_separates_and_ends_in_order():
    data = write_docx(sample_draft())
    for name, content in parts(data).items():
        if not name.startswith("word/") or not name.endswith(".xml"):
            continue
        depth = 0
        for kind in field_kinds(etree.fromstring(content)):
            depth += {"begin": 1, "separate": 0, "end": -1}[kind]
            assert depth >= 0, name
        assert depth == 0, name


def test_write_docx_leaves_out_excluded_blocks_empty_sections_and_bare_subheadings():
    document = reopen(write_docx(sample_draft()))
    text = body_text(document)

    assert "excluded" not in text.lower()
    assert "Secret Council" not in text
    assert "A theme with nothing left under it" not in text
    assert "Question 2" not in text


def test_write_docx_strips_control_characters_that_xml_cannot_hold():
    point = Block("point", "Nul\x00 bell\x07 escape\x1b end\ufffe.", [1], partners=2)
    quote = Block("quote", "First line\x0bsecond line", [2], attribution="Council\x00 A")
    draft = sample_draft(
        title="Title\x01 with\x0c a break",
        sections=[Section("summary", "Summary\x08", [point, quote])],
    )

    data = write_docx(draft)
    document = reopen(data)

    assert paragraphs_in(document, "List Bullet") == ["Nul bell escape end."]
    assert paragraphs_in(document, "Quote") == ["“First line\nsecond line”"]
    assert paragraphs_in(document, "Quote Attribution") == ["— Council A"]
    assert paragraphs_in(document, "Heading 1") == ["Summary"]
    assert document.core_properties.title == "Title with a break"
    assert all(
        etree.fromstring(content) is not None
        for name, content in parts(data).items()
        if name.endswith((".xml", ".rels"))
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", "plain"),
        ("a\x00b", "ab"),
        ("line\x0bbreak", "line\nbreak"),
        ("page\x0cbreak", "page\nbreak"),
        ("windows\r\nline", "windows\nline"),
        ("tab\tkept", "tab\tkept"),
        ("odd\ud800surrogate\uffff", "oddsurrogate"),
    ],
)
def test_plain_text_keeps_what_xml_can_hold(text, expected):
    assert plain_text(text) == expected


def test_write_docx_writes_markup_in_partners_text_as_text():
    words = "<b>bold</b> & <script>alert('x')</script> **not markdown**"
    draft = sample_draft(sections=[Section("summary", "Summary", [Block("quote", words, [1])])])

    assert paragraphs_in(reopen(write_docx(draft)), "Quote") == [f"“{words}”"]


def test_write_docx_every_part_is_well_formed_xml():
    data = write_docx(sample_draft())

    xml_parts = {
        name: content for name, content in parts(data).items() if name.endswith((".xml", ".rels"))
    }

    assert "word/document.xml" in xml_parts
    for name, content in xml_parts.items():
        assert etree.fromstring(content) is not None, name


def test_write_docx_uses_only_named_styles_and_no_direct_formatting():
    document = reopen(write_docx(sample_draft()))
    body = document.element.body

    direct = {"b", "i", "sz", "color", "rFonts", "u", "jc", "spacing", "ind", "shd"}
    for properties in body.iter(qn("w:rPr"), qn("w:pPr")):
        found = {child.tag.split("}")[1] for child in properties} & direct
        assert not found, etree.tostring(properties)


def test_template_has_every_style_the_writer_names():
    template = docx.Document(str(TEMPLATE_PATH))
    names = {style.name for style in template.styles}

    assert set(STYLES) | {"Heading 3"} <= names
    assert template.styles["Quote"].type == 1  # paragraph
    assert template.styles["Partner Count"].type == 2  # character
    assert template.styles["Response Table"].type == 3  # table


def test_template_matches_what_make_template_builds():
    shipped = docx.Document(str(TEMPLATE_PATH))
    built = build_template()

    def looks(document: Document) -> dict[str, bytes]:
        return {
            style.name: etree.tostring(style.element, method="c14n") for style in document.styles
        }

    assert looks(shipped) == looks(built), (
        "run 'python -m exports.make_template' and commit the template"
    )


def test_template_is_a4_with_an_empty_body():
    template = docx.Document(str(TEMPLATE_PATH))
    section = template.sections[0]

    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert template.paragraphs == []
    assert template.core_properties.author == ""


# --- Opening the files in LibreOffice --------------------------------------------------------


def pdf_text(path: Path, outdir: Path) -> str:
    """Convert a document to PDF with LibreOffice (its own profile, so runs can overlap)."""
    profile = outdir / "libreoffice-profile"
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = outdir / f"{path.stem}.pdf"
    assert pdf.exists(), f"LibreOffice did not convert {path.name}"
    result = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.stdout


needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice and poppler-utils are installed by .ci/install-test-tools",
)


@pytest.mark.slow
@needs_libreoffice
def test_libreoffice_opens_the_docx_and_prints_its_title_headings_quotes_and_status(tmp_path):
    path = tmp_path / "response.docx"
    path.write_bytes(write_docx(sample_draft()))

    text = " ".join(pdf_text(path, tmp_path).split())

    assert "Restoring control over the immigration system" in text
    assert "Summary of key points" in text
    assert "Families on temporary leave are the group we struggle most to place." in text
    assert "— Belfast City Council" in text
    assert "Draft v3 for board review" in text
    assert "Page 3 of" in text


def test_write_docx_starts_contents_body_and_annex_on_new_pages():
    document = reopen(write_docx(sample_draft()))

    starts = [p.text for p in document.paragraphs if p.paragraph_format.page_break_before]

    assert starts == [
        "Contents",
        "About the partnership and this response",
        "Annex: the answers behind this response",
    ]
    assert not any(
        run.element.find(qn("w:br")) is not None for p in document.paragraphs for run in p.runs
    )


def test_write_docx_cover_lines_that_repeat_the_title_page_are_not_written_twice():
    cover = Section(
        "cover",
        TITLE,
        [
            Block("paragraph", f"Response from the {PARTNERSHIP}"),
            Block("paragraph", "A consultation by the Home Office, reference HO-2026-ES-04"),
            Block("paragraph", "Sunday 29 November 2026"),
            Block("paragraph", "Draft v3 for board review"),
            Block("paragraph", "The consultation closes on Wednesday 23 December 2026."),
        ],
    )
    document = reopen(write_docx(sample_draft(sections=[cover])))

    assert (
        paragraphs_in(document, "Cover Detail")[-1]
        == "The consultation closes on Wednesday 23 December 2026."
    )
    assert body_text(document).count("Sunday 29 November 2026") == 1
    assert body_text(document).count("Draft v3 for board review") == 1
    assert TITLE not in paragraphs_in(document, "Heading 1")
