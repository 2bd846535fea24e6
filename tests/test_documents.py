"""The reading layer: real .docx, PDF, .xlsx and .csv files are built, saved and read back."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest
from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Pt

from consultations.documents import (
    Block,
    PdfLimits,
    format_list_number,
    read_csv,
    read_docx,
    read_file,
    read_pdf,
    read_xlsx,
)
from consultations.errors import ValidationFailed
from tests.pdf_builder import (
    PAGE_HEIGHT,
    Text,
    content_bomb,
    many_operations,
    page_tree_bomb,
    paragraphs_page,
    pdf_file,
)

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
SUBJECT = "The file 'test'"


def saved(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def add_list(document: Document, levels: list[tuple[str, str]], *, num_id: int = 90) -> int:
    """Add a list definition (one (numFmt, lvlText) per level) and a list that uses it."""
    numbering = document.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{index}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for index, (fmt, text) in enumerate(levels)
    )
    numbering.insert(
        0, parse_xml(f'<w:abstractNum {W_NS} w:abstractNumId="{num_id}">{lvls}</w:abstractNum>')
    )
    numbering.append(
        parse_xml(f'<w:num {W_NS} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/></w:num>')
    )
    return num_id


def restarted(document: Document, num_id: int, *, new_id: int, start: int = 1) -> int:
    """Add a list instance that restarts ``num_id``'s definition, as Word's "Restart at 1"."""
    numbering = document.part.numbering_part.element
    abstract = next(
        num.find(qn("w:abstractNumId")).get(qn("w:val"))
        for num in numbering.findall(qn("w:num"))
        if num.get(qn("w:numId")) == str(num_id)
    )
    numbering.append(
        parse_xml(
            f'<w:num {W_NS} w:numId="{new_id}"><w:abstractNumId w:val="{abstract}"/>'
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride>'
            "</w:num>"
        )
    )
    return new_id


def listed(document: Document, text: str, num_id: int, level: int = 0) -> None:
    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )


def texts(blocks: tuple[Block, ...]) -> list[str]:
    return [block.text for block in blocks]


# --- Word ----------------------------------------------------------------------------------------


def test_docx_blocks_carry_style_heading_level_and_table_rows_in_document_order():
    document = docx.Document()
    document.add_paragraph("Family migration: a consultation", style="Title")
    document.add_heading("Chapter 2: The financial requirement", 1)
    document.add_paragraph("2.1 The Government proposes a new threshold.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Question 1"
    table.cell(0, 1).text = "Do you agree?"
    table.cell(1, 1).text = "Yes ☐ No ☐"
    document.add_heading("Annex A", 2)

    blocks = read_docx(saved(document), subject=SUBJECT)

    assert [(b.source, b.style, b.heading_level) for b in blocks] == [
        ("paragraph 1", "Title", 0),
        ("paragraph 2", "Heading 1", 1),
        ("paragraph 3", "Normal", None),
        ("table 1, row 1", "", None),
        ("table 1, row 2", "", None),
        ("paragraph 4", "Heading 2", 2),
    ]
    assert blocks[3].cells == (("Question 1",), ("Do you agree?",))
    assert blocks[4].filled_cells() == [("Yes ☐ No ☐",)]
    assert blocks[3].in_table and not blocks[2].in_table


def test_docx_list_numbers_are_the_numbers_word_shows_though_the_text_has_none():
    document = docx.Document()
    questions = add_list(document, [("decimal", "Question %1:"), ("lowerLetter", "(%2)")])
    listed(document, "Do you agree with the proposal?", questions)
    listed(document, "Should it apply to dependants?", questions, level=1)
    listed(document, "Should it apply to students?", questions, level=1)
    document.add_paragraph("The evidence is in Appendix A.")
    listed(document, "What would it cost councils?", questions)
    listed(document, "Which services would feel it first?", questions, level=1)

    blocks = read_docx(saved(document), subject=SUBJECT)

    assert [(b.list_number, b.list_level) for b in blocks] == [
        ("Question 1:", 0),
        ("(a)", 1),
        ("(b)", 1),
        ("", None),
        ("Question 2:", 0),
        ("(a)", 1),
    ]
    assert blocks[0].numbered and not blocks[3].numbered
    assert blocks[0].text == "Do you agree with the proposal?"


def test_docx_list_style_numbers_continue_across_headings_and_restart_where_word_restarts():
    document = docx.Document()
    document.add_heading("Chapter 1", 1)
    document.add_paragraph("Do you agree?", style="List Number")
    document.add_paragraph("What else?", style="List Number")
    document.add_heading("Chapter 2", 1)
    document.add_paragraph("Should fees rise?", style="List Number")
    fresh = restarted(document, 5, new_id=91)
    listed(document, "A new list from one.", fresh)
    listed(document, "And two.", fresh)

    blocks = read_docx(saved(document), subject=SUBJECT)

    assert [b.list_number for b in blocks] == ["", "1.", "2.", "", "3.", "1.", "2."]
    assert blocks[1].style == "List Number"


def test_docx_bullets_word_made_and_typed_are_bullets_without_their_glyph():
    document = docx.Document()
    document.add_paragraph("The impact on housing", style="List Bullet")
    document.add_paragraph("• The impact on schools")
    document.add_paragraph("- and on health services?")
    document.add_paragraph("2 - 3 weeks is the usual wait.")

    blocks = read_docx(saved(document), subject=SUBJECT)

    assert [(b.text, b.bullet) for b in blocks] == [
        ("The impact on housing", True),
        ("The impact on schools", True),
        ("and on health services?", True),
        ("2 - 3 weeks is the usual wait.", False),
    ]
    assert blocks[0].list_number == "" and not blocks[0].numbered


def test_docx_text_leaves_out_typed_footnote_markers_and_hidden_text():
    document = docx.Document()
    paragraph = document.add_paragraph("Do you agree with the threshold")
    marker = paragraph.add_run("1")
    marker.font.superscript = True
    paragraph.add_run("?")
    hidden = paragraph.add_run(" (drafting note: check with legal)")
    hidden.font.hidden = True
    squared = document.add_paragraph("The area is 12 km")
    squared.add_run("2").font.superscript = False

    blocks = read_docx(saved(document), subject=SUBJECT)

    assert texts(blocks) == ["Do you agree with the threshold?", "The area is 12 km2"]


def test_docx_reads_content_controls_and_wingdings_tick_boxes():
    document = docx.Document()
    document.element.body.insert(
        0,
        parse_xml(
            f"<w:sdt {W_NS}><w:sdtContent>"
            "<w:p><w:r><w:t xml:space='preserve'>Yes </w:t></w:r>"
            "<w:r><w:sym w:font='Wingdings' w:char='F06F'/></w:r></w:p>"
            "</w:sdtContent></w:sdt>"
        ),
    )

    (block,) = read_docx(saved(document), subject=SUBJECT)

    assert block.text == "Yes ☐"


@pytest.mark.parametrize(
    ("number", "fmt", "shown"),
    [
        (3, "decimal", "3"),
        (3, "lowerLetter", "c"),
        (28, "lowerLetter", "bb"),
        (4, "upperRoman", "IV"),
        (9, "lowerRoman", "ix"),
        (7, "decimalZero", "07"),
    ],
)
def test_list_numbers_are_written_in_words_format(number, fmt, shown):
    assert format_list_number(number, fmt) == shown


# --- PDF -----------------------------------------------------------------------------------------


def test_pdf_paragraphs_come_back_whole_in_reading_order_with_title_and_headings_by_size():
    data = pdf_file(
        paragraphs_page(
            ("Family migration: a consultation", 24, True),
            ("Chapter 2: The financial requirement", 14, True),
            "2.1 The Government proposes that a sponsor should show an income of at least "
            "the level set out below, and that the level should rise each year with earnings.",
            "Question 1: Do you agree that the threshold should rise each year? "
            "(Yes / No / Don't know)",
            "The evidence behind this proposal is summarised in Appendix A.",
        )
    )

    blocks = read_pdf(data, subject=SUBJECT)

    assert texts(blocks) == [
        "Family migration: a consultation",
        "Chapter 2: The financial requirement",
        "2.1 The Government proposes that a sponsor should show an income of at least the level "
        "set out below, and that the level should rise each year with earnings.",
        "Question 1: Do you agree that the threshold should rise each year? (Yes / No / Don't "
        "know)",
        "The evidence behind this proposal is summarised in Appendix A.",
    ]
    # The largest type, used only at the top of the first page, is the title (level 0).
    assert [b.heading_level for b in blocks] == [0, 1, None, None, None]
    assert blocks[0].source == "page 1, paragraph 1"
    assert blocks[2].font_size == 11 and blocks[1].bold


def test_pdf_leaves_out_footnote_markers_page_numbers_and_running_heads():
    def page(number: int, body: list[Text]) -> list[Text]:
        return [
            Text("OFFICIAL", 270, PAGE_HEIGHT - 30, 9),
            *body,
            Text(f"Page {number} of 2", 270, 30, 9),
        ]

    data = pdf_file(
        page(
            1,
            [
                Text("Do you agree with the proposed threshold", 72, 700),
                Text("1", 290, 705, 7),
                Text("?", 294, 700),
            ],
        ),
        page(2, [Text("What would the change cost your council?", 72, 700)]),
    )

    blocks = read_pdf(data, subject=SUBJECT)

    assert texts(blocks) == [
        "Do you agree with the proposed threshold?",
        "What would the change cost your council?",
    ]


def test_pdf_lines_with_wide_gaps_are_read_as_table_rows_with_their_cells():
    data = pdf_file(
        [
            Text("Question", 72, 700, bold=True),
            Text("Response", 300, 700, bold=True),
            Text("Q1", 72, 670),
            Text("Do you agree with the proposal", 120, 670),
            Text("to end hotel use?", 120, 656.8),
            Text("Yes", 400, 670),
        ]
    )

    blocks = read_pdf(data, subject=SUBJECT)

    assert [b.cells for b in blocks] == [
        (("Question",), ("Response",)),
        (("Q1",), ("Do you agree with the proposal to end hotel use?",), ("Yes",)),
    ]
    assert all(block.in_table for block in blocks)


def test_pdf_bullets_are_bullets_and_each_starts_its_own_block():
    data = pdf_file(
        [
            Text("We would welcome evidence on:", 72, 700),
            Text("• the demand for ESOL classes;", 90, 686.8),
            Text("• the waiting times for a place.", 90, 673.6),
        ]
    )

    blocks = read_pdf(data, subject=SUBJECT)

    assert [(b.text, b.bullet) for b in blocks] == [
        ("We would welcome evidence on:", False),
        ("the demand for ESOL classes;", True),
        ("the waiting times for a place.", True),
    ]


def test_pdf_with_ten_thousand_pages_is_refused_before_its_pages_are_read():
    with pytest.raises(ValidationFailed, match="it has 10,000 pages and at most 300 can be read"):
        read_pdf(page_tree_bomb(10_000), subject=SUBJECT)


def test_pdf_whose_page_unpacks_enormously_is_refused_without_unpacking_it_all():
    data = content_bomb(200 * 1024 * 1024)

    assert len(data) < 1024 * 1024
    with pytest.raises(ValidationFailed, match="page 1 holds far more than any real document"):
        read_pdf(data, subject=SUBJECT)


def test_pdf_page_with_too_many_drawing_operations_is_refused():
    with pytest.raises(ValidationFailed, match="page 1 holds far more than any real document"):
        read_pdf(
            many_operations(30_000), subject=SUBJECT, limits=PdfLimits(content_operations=50_000)
        )


def test_pdf_that_takes_longer_than_its_budget_is_refused():
    data = pdf_file(*[paragraphs_page("Some text on a page.") for _ in range(3)])

    with pytest.raises(ValidationFailed, match="it could not be read within 0 seconds"):
        read_pdf(data, subject=SUBJECT, limits=PdfLimits(seconds=0))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\nnot really a pdf", "it could not be read as a PDF"),
        (pdf_file([Text("Hello", 72, 700)])[:300], "it could not be read as a PDF"),
    ],
)
def test_damaged_pdf_is_refused_with_what_to_do(data, message):
    with pytest.raises(ValidationFailed, match=message):
        read_pdf(data, subject=SUBJECT)


def test_password_protected_pdf_is_refused():
    import pypdf

    writer = pypdf.PdfWriter(
        clone_from=pypdf.PdfReader(io.BytesIO(pdf_file([Text("Hi", 72, 700)])))
    )
    writer.encrypt("secret", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)

    with pytest.raises(ValidationFailed, match="it is password-protected"):
        read_pdf(buffer.getvalue(), subject=SUBJECT)


# --- Spreadsheets and the whole file ---------------------------------------------------------


def test_xlsx_sheets_with_data_are_read_with_excels_row_numbers():
    workbook = openpyxl.Workbook()
    workbook.active.title = "Cover"
    questions = workbook.create_sheet("Questions")
    questions.append(["No.", "Question"])
    questions.append([])
    questions.append([1, "Do you agree?"])
    workbook.create_sheet("Empty")
    buffer = io.BytesIO()
    workbook.save(buffer)

    sheets = read_xlsx(buffer.getvalue(), subject=SUBJECT)

    assert [sheet.name for sheet in sheets] == ["Questions"]
    assert sheets[0].rows[0] == (1, ("No.", "Question"))
    assert sheets[0].rows[-1] == (3, (1, "Do you agree?"))


def test_csv_with_semicolons_in_windows_1252_is_read_as_one_sheet():
    data = "Q;Text\r\nQ1;Is the £1,000 fee fair?\r\n".encode("cp1252")

    (sheet,) = read_csv(data, subject=SUBJECT)

    assert sheet.rows == ((1, ("Q", "Text")), (2, ("Q1", "Is the £1,000 fee fair?")))


def test_read_file_checks_the_file_then_reads_it_by_its_kind():
    document = docx.Document()
    document.add_paragraph("Q1. Do you agree?").runs[0].font.size = Pt(11)

    contents = read_file(
        "C:\\papers\\paper.docx", saved(document), accepted=(".docx", ".pdf"), max_bytes=10**6
    )

    assert (contents.name, contents.file_type.key) == ("paper.docx", "docx")
    assert texts(contents.blocks) == ["Q1. Do you agree?"]
    with pytest.raises(ValidationFailed, match=r"files '\.txt' are not accepted"):
        read_file("notes.txt", b"Q1", accepted=(".docx", ".pdf"), max_bytes=10**6)
