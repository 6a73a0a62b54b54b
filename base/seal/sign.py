"""Sealing a PDF: an invisible PAdES signature over the whole file, with the chain,
a timestamp and the revocation data embedded (B-LT), a document timestamp when a
timestamp authority is configured (B-LTA); the document's own metadata kept (PDF/A)
and the signature field tagged (PDF/UA)."""

from __future__ import annotations

import io
from typing import Any

from base import pdf_streams
from base.seal.keys import seal_key
from base.seal.material import SIGNATURE_FIELD, outside_event_loop, validation_context


@outside_event_loop
def seal_pdf(data: bytes, *, reason: str, location: str = "") -> bytes:
    """The PDF sealed with the organisation's key: an invisible PAdES signature over
    the whole file with its chain, its timestamp and the revocation data embedded in
    the same revision (B-LT), and a document timestamp when a timestamp authority is
    configured (B-LTA). The document's own metadata is left as it was (PDF/A), and
    the signature field is tagged, with a description (PDF/UA)."""
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.signers.pdf_signer import DSSContentSettings, SigDSSPlacementPreference

    key = seal_key()
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        reason=reason,
        location=location or None,
        name=key.certificates.holder,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        embed_validation_info=True,
        use_pades_lta=key.document_timestamps,
        validation_context=validation_context(key.certificates),
        dss_settings=DSSContentSettings(
            include_vri=False, placement=SigDSSPlacementPreference.TOGETHER_WITH_SIGNATURE
        ),
    )
    signer = signers.PdfSigner(metadata, signer=key.signer, timestamper=key.timestamper)
    try:
        # A fixed room for the signature spares pyHanko a trial signing to measure it
        # (half the sealing time); a chain too large for it is measured after all.
        return _sign(signer, data, reason, bytes_reserved=SIGNATURE_ROOM)
    except SigningError:  # the signature did not fit
        return _sign(signer, data, reason, bytes_reserved=None)


#: Room for the CMS signature, in hex digits (two a byte): the demo's is about 6 KB; a
#: bigger chain falls back to pyHanko's own measuring.
SIGNATURE_ROOM = 2 * 12 * 1024


def _sign(signer: Any, data: bytes, reason: str, *, bytes_reserved: int | None) -> bytes:
    writer = _writer(data)
    _tagged_signature_field(writer, description=reason)
    return bytes(signer.sign_pdf(writer, bytes_reserved=bytes_reserved).getvalue())


def _writer(data: bytes) -> Any:
    """An incremental writer that leaves the document's Info and XMP metadata as the
    renderer wrote them (pyHanko would rewrite the XMP packet without the PDF/UA
    extension schema that PDF/A asks for)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    pdf_streams.pyhanko_streams()

    class MetadataKeepingWriter(IncrementalPdfFileWriter):
        def _update_meta(self) -> None:
            return None

    return MetadataKeepingWriter(io.BytesIO(data), strict=False)


def _tagged_signature_field(writer: Any, *, description: str) -> None:
    """The invisible signature field on the last page, with a description (/TU) and
    a Form element in the structure tree that holds its widget (PDF/UA-1, 7.18)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.sign import fields

    last_page = int(writer.root["/Pages"]["/Count"]) - 1
    fields.append_signature_field(
        writer, fields.SigFieldSpec(sig_field_name=SIGNATURE_FIELD, on_page=last_page)
    )
    form = writer.root["/AcroForm"]
    field_ref = next(f for f in form["/Fields"] if f.get_object().get("/T") == SIGNATURE_FIELD)
    widget = field_ref.get_object()  # pyHanko merges the field and its widget
    widget["/TU"] = generic.TextStringObject(description)
    writer.update_container(widget)
    root = writer.root
    if "/StructTreeRoot" not in root:
        return
    page_ref, _ = writer.find_page_for_modification(last_page)
    page = page_ref.get_object()
    page["/Tabs"] = generic.NameObject("/S")
    writer.update_container(page)
    tree = root["/StructTreeRoot"]
    top = tree.raw_get("/K")
    top = top[0] if isinstance(top, generic.ArrayObject) else top
    document = top.get_object()
    parent_tree = tree["/ParentTree"]
    nums = parent_tree["/Nums"]
    numbered = [int(nums[i]) for i in range(0, len(nums), 2)]
    key = max([*numbered, int(tree.get("/ParentTreeNextKey", 0)) - 1]) + 1
    element_ref = writer.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/StructElem"),
                generic.NameObject("/S"): generic.NameObject("/Form"),
                generic.NameObject("/P"): top,
                generic.NameObject("/Pg"): page_ref,
                generic.NameObject("/Alt"): generic.TextStringObject(description),
                generic.NameObject("/K"): generic.DictionaryObject(
                    {
                        generic.NameObject("/Type"): generic.NameObject("/OBJR"),
                        generic.NameObject("/Obj"): field_ref,
                        generic.NameObject("/Pg"): page_ref,
                    }
                ),
            }
        )
    )
    kids = document.raw_get("/K")
    if not isinstance(kids, generic.ArrayObject):
        kids = generic.ArrayObject([kids])
        document["/K"] = kids
    kids.append(element_ref)
    writer.update_container(document)
    nums.extend([generic.NumberObject(key), element_ref])
    writer.update_container(parent_tree)
    tree["/ParentTreeNextKey"] = generic.NumberObject(key + 1)
    writer.update_container(tree)
    widget["/StructParent"] = generic.NumberObject(key)
    writer.update_container(widget)
