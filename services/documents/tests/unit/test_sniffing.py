"""Content sniffing: the stored type comes from the bytes; programs, scripts and disguises are refused."""

from __future__ import annotations

import io
import zipfile

import pytest

from crm_core.errors import InvalidArgument
from crm_documents.sniffing import SNIFF_BYTES, check_content, extension, sniff

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100 + b"This program cannot be run in DOS mode"
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 50
MACHO = b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 50
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100


def office_file(folder: str) -> bytes:
    """A minimal OOXML package (docx/xlsx/pptx by its main folder)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(f"{folder}/document.xml", "<document/>")
    return buffer.getvalue()


def odt_file() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("Счёт №15.pdf", PDF, "application/pdf"),
        ("scan.PNG", PNG, "image/png"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("logo.gif", b"GIF89a\x01\x00\x01\x00", "image/gif"),
        ("pic.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (
            "contract.docx",
            office_file("word"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("prices.xlsx", office_file("xl"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("deck.pptx", office_file("ppt"), "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        ("letter.odt", odt_file(), "application/vnd.oasis.opendocument.text"),
        ("old.doc", OLE, "application/msword"),
        ("old.xls", OLE, "application/vnd.ms-excel"),
        ("archive.zip", plain_zip(), "application/zip"),
        ("notes.txt", "Встреча в 15:00, обсудить скидку.".encode(), "text/plain"),
        ("clients.csv", "ИНН;Название\n7707083893;ПАО Сбербанк\n".encode(), "text/csv"),
        ("cp1251.txt", "Привет, мир".encode("cp1251"), "text/plain"),
        ("README", b"just text", "text/plain"),
    ],
)
def test_the_stored_type_is_the_sniffed_one(name: str, content: bytes, expected: str) -> None:
    assert check_content(name, content, complete=True) == expected


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.exe", EXE),
        ("invoice.pdf", EXE),  # a disguised program: refused for what it is, not for the name
        ("photo.jpg", ELF),
        ("tool", MACHO),
        ("run.txt", b"#!/bin/sh\nrm -rf /\n"),
        ("install.sh", b"echo hi\n"),
        ("macro.vbs", b"MsgBox 1"),
        ("script.js", b"alert(1)"),
        ("Run.PS1", b"Write-Host 1"),
        ("setup.msi", OLE),
        ("screen.scr", b"whatever"),
        ("job.bat", b"@echo off"),
        ("job.cmd", b"@echo off"),
    ],
)
def test_programs_and_scripts_are_refused_whatever_the_name(name: str, content: bytes) -> None:
    with pytest.raises(InvalidArgument) as refused:
        check_content(name, content, complete=True)
    assert refused.value.code == "attachment_type_refused"
    assert refused.value.fields[0].field == "file"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", plain_zip()),
        ("report.pdf", PNG),
        ("scan.png", PDF),
        ("contract.docx", OLE),
        ("table.xlsx", b"plain text pretending"),
        ("invoice.pdf", "текст".encode()),
    ],
)
def test_an_extension_that_contradicts_the_content_is_a_mismatch(name: str, content: bytes) -> None:
    with pytest.raises(InvalidArgument) as refused:
        check_content(name, content, complete=True)
    assert refused.value.code == "attachment_type_mismatch"


def test_binary_content_of_an_unknown_kind_is_kept_as_octet_stream() -> None:
    assert check_content("data.bin1", b"\x00\x01\x02\x03" * 10, complete=True) == "application/octet-stream"


def test_a_multibyte_character_cut_at_the_end_of_the_head_is_still_text() -> None:
    head = ("я" * (SNIFF_BYTES // 2)).encode()[: SNIFF_BYTES - 1]
    assert sniff(head, complete=False).content_type == "text/plain"


def test_extension_reads_only_the_last_part_of_the_name() -> None:
    assert extension("C:\\Users\\a\\report.final.PDF") == "pdf"
    assert extension(".bashrc") == ""
    assert extension("noext") == ""
