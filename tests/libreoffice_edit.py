"""Edit a .docx the way a person would in LibreOffice: change tracking on, edits, a comment, save.

LibreOffice itself does the editing and the saving, so the tests read markup a real editor
wrote, not markup we imagined. A Basic macro (kept in the test's own LibreOffice profile) opens
the document, turns on change tracking, replaces text, deletes and adds paragraphs, and saves it
as flat OpenDocument; comments are added to that file as LibreOffice writes them
(``office:annotation`` with its end), because inserting one from a macro aborts LibreOffice 7.4
when it has no window; then LibreOffice converts the file to .docx, writing the tracked
changes and comments in its own Word markup.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

SOFFICE = shutil.which("soffice") or "soffice"
EDITOR_NAME = ("Aoife", "Byrne")  # the name LibreOffice records on the changes

MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1"
 script:language="StarBasic">
Function Prop(sName As String, vValue) As com.sun.star.beans.PropertyValue
  Dim p As New com.sun.star.beans.PropertyValue
  p.Name = sName
  p.Value = vValue
  Prop = p
End Function

Function FindText(oDoc, sText As String)
  Rem The last match: a heading's words come first in the contents.
  Dim oSearch, oFound
  oSearch = oDoc.createSearchDescriptor()
  oSearch.SearchString = sText
  oSearch.SearchCaseSensitive = True
  oFound = oDoc.findAll(oSearch)
  FindText = oFound.getByIndex(oFound.getCount() - 1)
End Function

Sub EditCopy
  Dim sJob As String, iFile As Integer, sLine As String, sOut As String, aParts
  Dim oDoc, oRange, oCursor
  sJob = Environ("WR_JOB")
  iFile = FreeFile
  Open sJob For Input As #iFile
  Line Input #iFile, sLine
  oDoc = StarDesktop.loadComponentFromURL(ConvertToURL(sLine), "_blank", 0, _
    Array(Prop("Hidden", True)))
  Line Input #iFile, sOut
  oDoc.RecordChanges = True
  Do While Not EOF(iFile)
    Line Input #iFile, sLine
    aParts = Split(sLine, Chr(9))
    oRange = FindText(oDoc, aParts(1))
    If aParts(0) = "replace" Then
      oRange.setString(aParts(2))
    ElseIf aParts(0) = "delete-paragraph" Then
      oCursor = oRange.getText().createTextCursorByRange(oRange)
      oCursor.gotoStartOfParagraph(False)
      oCursor.gotoEndOfParagraph(True)
      oCursor.goRight(1, True)
      oCursor.setString("")
    ElseIf aParts(0) = "add-paragraph" Then
      oCursor = oRange.getText().createTextCursorByRange(oRange)
      oCursor.gotoEndOfParagraph(False)
      oCursor.getText().insertControlCharacter(oCursor, _
        com.sun.star.text.ControlCharacter.PARAGRAPH_BREAK, False)
      oCursor.getText().insertString(oCursor, aParts(2), False)
    End If
  Loop
  Close #iFile
  oDoc.storeToURL(ConvertToURL(sOut), Array(Prop("FilterName", "OpenDocument Text Flat XML")))
  oDoc.close(True)
End Sub
</script:module>
"""

USER_PROFILE = """  <item oor:path="/org.openoffice.UserProfile/Data"><prop oor:name="givenname" \
oor:op="fuse"><value>{0}</value></prop></item>
  <item oor:path="/org.openoffice.UserProfile/Data"><prop oor:name="sn" \
oor:op="fuse"><value>{1}</value></prop></item>
"""

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
DC = "http://purl.org/dc/elements/1.1/"


@dataclass(frozen=True)
class Comment:
    """A comment on the paragraph holding ``on``."""

    on: str
    author: str
    text: str
    date: str = "2026-12-07T09:30:00"


class LibreOfficeEditor:
    """A LibreOffice profile with the editing macro, in a folder of the test's own."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.profile = folder / "profile"
        self.runs = 0
        subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation={self.profile.as_uri()}",
                "--headless",
                "--terminate_after_init",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        (self.profile / "user/basic/Standard/Module1.xba").write_text(MACRO)
        settings = self.profile / "user/registrymodifications.xcu"
        text = settings.read_text()
        settings.write_text(
            text.replace("</oor:items>", USER_PROFILE.format(*EDITOR_NAME) + "</oor:items>")
        )

    def edit(
        self,
        data: bytes,
        *,
        changes: list[tuple[str, ...]] = (),
        comments: list[Comment] = (),
        name: str = "edited",
    ) -> bytes:
        """Return the document as LibreOffice saves it after these tracked changes and comments.

        ``changes``: ("replace", old, new), ("delete-paragraph", words in it),
        ("add-paragraph", words of the paragraph to follow, new paragraph's text).
        """
        source = self.folder / f"{name}-source.docx"
        flat = self.folder / f"{name}.fodt"
        source.write_bytes(data)
        job = self.folder / f"{name}.job"
        lines = [str(source), str(flat), *("\t".join(change) for change in changes)]
        job.write_text("\n".join(lines) + "\n")
        self._soffice(["macro:///Standard.Module1.EditCopy"], environ={"WR_JOB": str(job)})
        assert flat.exists(), "LibreOffice did not save the edited copy"
        if comments:
            _add_comments(flat, comments)
        outdir = self.folder / f"{name}-out"
        self._soffice(["--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir), str(flat)])
        return (outdir / f"{name}.docx").read_bytes()

    def save_as_docx(self, data: bytes, *, name: str = "resaved") -> bytes:
        """Open the document in LibreOffice and save it again as .docx, changing nothing."""
        source = self.folder / f"{name}.docx"
        source.write_bytes(data)
        outdir = self.folder / f"{name}-out"
        self._soffice(
            ["--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir), str(source)]
        )
        return (outdir / f"{name}.docx").read_bytes()

    def _soffice(self, args: list[str], *, environ: dict[str, str] | None = None) -> None:
        import os

        self.runs += 1
        subprocess.run(
            [SOFFICE, f"-env:UserInstallation={self.profile.as_uri()}", "--headless", *args],
            check=True,
            capture_output=True,
            timeout=180,
            env={**os.environ, **(environ or {})},
        )


def _add_comments(flat: Path, comments: list[Comment]) -> None:
    """Add each comment around the paragraph holding its words, as LibreOffice writes one."""
    tree = etree.parse(str(flat))
    paragraphs = list(tree.iter(f"{{{TEXT}}}p", f"{{{TEXT}}}h"))
    for number, comment in enumerate(comments, 1):
        target = next(p for p in paragraphs if comment.on in "".join(p.itertext()))
        name = f"__Annotation__{number}"
        annotation = etree.Element(f"{{{OFFICE}}}annotation", {f"{{{OFFICE}}}name": name})
        etree.SubElement(annotation, f"{{{DC}}}creator").text = comment.author
        etree.SubElement(annotation, f"{{{DC}}}date").text = comment.date
        etree.SubElement(annotation, f"{{{TEXT}}}p").text = comment.text
        annotation.tail, target.text = target.text, None
        target.insert(0, annotation)
        target.append(etree.Element(f"{{{OFFICE}}}annotation-end", {f"{{{OFFICE}}}name": name}))
    tree.write(str(flat), xml_declaration=True, encoding="UTF-8")
