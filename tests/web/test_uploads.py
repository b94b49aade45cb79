"""Upload bounds (hardening, item 27): zip bombs in Office files, long names keep their extension."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure import services
from disclosure.files import check_upload, display_name
from disclosure.models import Attachment
from tests.disclosure.conftest import world  # noqa: F401  (fixture)
from tests.disclosure.factories import docx, document_data


def _docx_with(entries: dict[str, int], name="炸弹.docx") -> SimpleUploadedFile:
    """A real DOCX container with `entries` of zeros of the given sizes (deflated to almost nothing)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for entry, size in entries.items():
            with archive.open(entry, "w") as stream:
                for _ in range(size // (1 << 20)):
                    stream.write(bytes(1 << 20))
                stream.write(bytes(size % (1 << 20)))
    return SimpleUploadedFile(name, buffer.getvalue())


def test_hardening_office_file_inflating_past_the_limit_is_refused(settings):
    settings.DISCLOSURE_MAX_UNZIPPED_MB = 4
    bomb = _docx_with({"word/media/zeros.bin": 5 * (1 << 20)})
    assert bomb.size < 64 * 1024  # small on the wire
    with pytest.raises(ValidationError) as refused:
        check_upload(bomb)
    assert "解压后超过 4 MB" in refused.value.messages[0]
    kind, _, _ = check_upload(_docx_with({"word/media/small.bin": 1 << 20}, name="正常.docx"))
    assert kind == "docx"


def test_hardening_a_lying_size_header_is_no_way_round(settings):
    """The declared sizes are checked first; one that lies (1 byte for 3 MB) makes the entry fail its
    CRC when inflated up to what it declared, and the file is refused all the same."""
    settings.DISCLOSURE_MAX_UNZIPPED_MB = 2
    data = bytearray(_docx_with({"word/media/zeros.bin": 3 * (1 << 20)}).read())
    start = data.find(b"PK\x01\x02")  # central directory records: uncompressed size at offset 24
    while start != -1:
        name_length = int.from_bytes(data[start + 28:start + 30], "little")
        if data[start + 46:start + 46 + name_length] == b"word/media/zeros.bin":
            data[start + 24:start + 28] = (1).to_bytes(4, "little")
        start = data.find(b"PK\x01\x02", start + 4)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        assert sum(i.file_size for i in archive.infolist()) < 1024  # the lie is believed by the header check
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile("谎报.docx", bytes(data)))


def test_hardening_office_file_with_too_many_entries_is_refused(settings):
    settings.DISCLOSURE_MAX_ZIP_ENTRIES = 10
    with pytest.raises(ValidationError):
        check_upload(_docx_with({f"word/media/{i}.bin": 10 for i in range(20)}))


def test_hardening_long_file_name_keeps_its_extension(world):  # noqa: F811
    long_name = "关" * 239 + ".docx"
    assert len(long_name) == 244
    assert display_name(long_name) == "关" * 195 + ".docx" and len(display_name(long_name)) == 200
    assert display_name("短.pdf") == "短.pdf"
    assert display_name("x" * 250) == "x" * 200  # no extension: plainly cut
    document = services.document_create(by=world.clerk, issuer=world.fgw, data=document_data(title="长文件名"),
                                        number_text="", co_issuers=(), files=[])
    attachment = services.attachment_add(document=document, uploaded=docx(name=long_name), by=world.clerk)
    stored = Attachment.objects.get(pk=attachment.pk)
    assert stored.original_name.endswith(".docx") and len(stored.original_name) == 200
