"""Sandboxed text extraction: ``python -I _child.py KIND CPU_SECONDS MEMORY_BYTES MAX_CHARS``.

Reads the file from stdin, writes its text (UTF-8) to stdout. The limits are set before the
file is read or a parser imported; the parent adds a wall-clock timeout. Imports only parser
libraries (no Django), so a crash here is confined to this process.
"""

import io
import resource
import sys


def _limits(cpu: int, memory: int) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _pdf(data):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    for page in reader.pages:
        yield page.extract_text() or ""


def _docx(data):
    import docx

    document = docx.Document(io.BytesIO(data))
    for paragraph in document.paragraphs:
        yield paragraph.text
    for table in document.tables:
        for row in table.rows:
            yield " ".join(cell.text for cell in row.cells)


def _xlsx(data):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    for sheet in workbook.worksheets:
        yield sheet.title
        for row in sheet.iter_rows(values_only=True):
            cells = [str(value) for value in row if value is not None]
            if cells:
                yield " ".join(cells)


def _pptx(data):
    from pptx import Presentation

    presentation = Presentation(io.BytesIO(data))
    for slide in presentation.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                yield shape.text_frame.text


def _odf(data):
    from odf import teletype, text
    from odf.opendocument import load

    document = load(io.BytesIO(data))
    for element in (*document.getElementsByType(text.H), *document.getElementsByType(text.P)):
        yield teletype.extractText(element)


def _plain(data):
    yield data.decode("utf-8", "replace")


PARSERS = {
    "pdf": _pdf,
    "docx": _docx,
    "xlsx": _xlsx,
    "pptx": _pptx,
    "odt": _odf,
    "ods": _odf,
    "txt": _plain,
    "csv": _plain,
}


def main() -> int:
    kind, cpu, memory, max_chars = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    _limits(cpu, memory)
    data = sys.stdin.buffer.read()
    out, total = [], 0
    for piece in PARSERS[kind](data):
        if piece:
            out.append(piece)
            total += len(piece) + 1
            if total >= max_chars:
                break
    sys.stdout.buffer.write("\n".join(out)[:max_chars].encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
