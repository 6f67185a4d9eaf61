"""The measure of an XLSX worksheet: one streaming pass over its XML, decompressed in chunks
of CHUNK_BYTES and looked at as bytes, never parsed. It tells the extent calamine would hold
(the largest row and column any reference names), the bytes of the shared strings its cells
copy, and what calamine does not tell: hidden rows (<row hidden="1">, or "true"), merged
ranges (<mergeCell ref>) and error cells (t="e").

What the bytes cannot tell: where a cell without an r="A1" reference lies, nor what hides in
a comment or CDATA, nor the length of a shared string not written as <si>…</si>. Such a
sheet has no measure (XlsxScan.usual False, or copied None), and xlsx reads it with openpyxl
instead. A sheet whose <worksheet> root is not found has no hidden rows known either.
"""

import re
from array import array
from operator import itemgetter

from .sheets import CHUNK_BYTES, MAX_ERROR_CELLS, MAX_MERGED, MEMORY_BUDGET, HiddenRows
from .zipparts import open_part


def column_number(letters):
    """A column's 1-based number from its letters ("A" is 1, "XFD" 16,384)."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def cell_ref(ref):
    """(row, column) of "C5": row from 1, column from 0."""
    match = CELL_REF.fullmatch(ref)
    if match is None:
        return None
    return int(match.group(2)), column_number(match.group(1)) - 1


CELL_REF = re.compile(rb"([A-Za-z]{1,3})(\d{1,7})")


def shared_string_lengths(archive):
    """The byte length of each <si> of xl/sharedStrings.xml (None if not in the usual form).

    An upper bound of the text calamine copies into each cell that shows the string.
    """
    name = "xl/sharedStrings.xml"
    if name not in archive.namelist():
        return array("q")
    lengths = array("q")
    carry = b""
    prefix = None
    ends = 0
    with open_part(archive, name, "XLSX", "共享字符串已损坏") as stream:
        while True:
            chunk = stream.read(CHUNK_BYTES)
            data = carry + chunk
            if prefix is None:
                root = ROOT_SST.search(data)
                if root is None:
                    if chunk and len(data) < CHUNK_BYTES * 4:
                        carry = data
                        continue
                    return None
                prefix = root.group(1) or b""
                pattern = re.compile(
                    rb"<" + re.escape(prefix) + rb"si>(.*?)</" + re.escape(prefix) + rb"si>", re.S
                )
            if chunk:
                cut = data.rfind(b"</" + prefix + b"si>")
                if cut < 0 and len(data) > 4 * CHUNK_BYTES:
                    return None  # a string of megabytes: no spreadsheet's (Excel's are 32,767)
                if cut < 0:
                    carry = data
                    continue
                cut += len(prefix) + 5
                body, carry = data[:cut], data[cut:]
            else:
                body, carry = data, b""
            if b"si/>" in body or b"<!" in body:
                return None
            found = pattern.findall(body)
            lengths.extend(map(len, found))
            ends += body.count(b"si>")
            if not chunk:
                break
    if ends != 2 * len(lengths):
        return None  # <si> in another form (or "si>" in the text): not measured
    return lengths


ROOT_SST = re.compile(rb"<([A-Za-z_][\w.-]*:)?sst[\s>]")
ROOT_WORKSHEET = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s>]")
# Any attribute whose name ends in "r" with a value like a cell or row reference: every r=
# of a cell or row, however written (and a few others, which only make the measure larger).
ANY_REF = re.compile(rb"r\s*=\s*[\"']([A-Za-z]*)(\d+)")
HIDDEN_ATTR = re.compile(rb"\shidden\s*=\s*[\"'](?:1|true)[\"']")
HIDDEN_ANY = re.compile(rb"hidden\s*=\s*[\"'](?:1|true)")
ROW_R = re.compile(rb"\sr\s*=\s*[\"'](\d+)[\"']")
SPACES = bytes.maketrans(b"\t\n\r:", b"   <")


class XlsxScan:
    """What one streaming pass over a worksheet's XML tells (see scan_xlsx_sheet)."""

    def __init__(self):
        self.max_row = 0
        self.max_col = 0
        self.starts = 0  # cell start tags, counted generously
        self.referenced = 0  # cell start tags with r="…" first, counted exactly
        self.shared = 0  # t="s" cells
        self.copied = 0  # bytes of shared strings calamine copies into them (None: unknown)
        self.usual = True
        self.rows_found = True  # the worksheet's root element, and so its rows, were found
        self.prefix = b""
        self.hidden = HiddenRows()
        self.merged = []
        self.errors = {}
        self.size = 0


def worksheet_bodies(archive, part, scan):
    """A worksheet's XML in pieces of about CHUNK_BYTES, each cut after a whole cell (the
    last </c>, else the last tag); sets scan.prefix, the namespace prefix of its elements."""
    carry = b""
    prefix = None
    with open_part(archive, part, "XLSX", "工作表已损坏") as stream:
        while True:
            chunk = stream.read(CHUNK_BYTES)
            scan.size += len(chunk)
            data = carry + chunk
            if prefix is None:
                root = ROOT_WORKSHEET.search(data)
                if root is None and chunk and len(data) < 4 * CHUNK_BYTES:
                    carry = data
                    continue
                if root is None:
                    scan.usual = scan.rows_found = False
                prefix = scan.prefix = (root.group(1) or b"") if root else b""
                cell_end = b"</" + prefix + b"c>"
            if not chunk:
                yield data
                return
            cut = data.rfind(cell_end)
            cut = cut + len(cell_end) if cut >= 0 else data.rfind(b"<")
            if cut <= 0 and len(data) < 4 * CHUNK_BYTES:
                carry = data
                continue
            if cut <= 0:
                cut = len(data)  # a megabyte of text without a tag: no tag is cut in it
            carry = data[cut:]
            yield data[:cut]


def scan_xlsx_sheet(archive, part, lengths):
    """One pass over a worksheet's XML, decompressed in chunks, without parsing it.

    `lengths` are those of the shared strings (shared_string_lengths). Where a cell per 20
    bytes of the sheet, each showing the longest string, could not exceed MEMORY_BUDGET,
    the strings the cells show are not looked up: they are counted as the longest.
    """
    scan = XlsxScan()
    row_number = 0
    patterns = None
    longest = max(lengths, default=0) if lengths is not None else None
    exact = longest is None or longest * (archive.getinfo(part).file_size // 20) > MEMORY_BUDGET
    for body in worksheet_bodies(archive, part, scan):
        if patterns is None:
            patterns = xlsx_patterns(scan.prefix)
        shared = scan.shared
        row_number = scan_xlsx_body(scan, body, patterns, row_number)
        if exact and scan.copied is not None and scan.shared > shared:
            scan.copied = copied_strings(body, scan.shared - shared, patterns, lengths, scan.copied)
    if not exact:
        scan.copied = scan.shared * longest
    if scan.starts != scan.referenced:
        scan.usual = False  # a cell without r="…" (or "…:c " in a text): positions unknown
    return scan


def copied_strings(body, shared, patterns, lengths, copied):
    """copied plus the bytes of the shared strings the `shared` t="s" cells of `body` show;
    None when one is not written in the usual form, or names no string."""
    if lengths is None:
        return None
    indices = patterns["shared"].findall(body)
    if len(indices) != shared:
        return None
    try:
        return copied + sum(map(lengths.__getitem__, map(int, indices)))
    except IndexError:
        return None


def xlsx_patterns(prefix):
    p = re.escape(prefix)
    return {
        "referenced": b"<" + prefix + b'c r="',
        "row_tag": b"<" + prefix + b"row",
        "row": re.compile(rb"<" + p + rb"row\b([^>]*)>"),
        "merge": re.compile(
            rb"<" + p + rb"mergeCell\b[^>]*?\bref\s*=\s*[\"']([A-Za-z]+\d+)(?::([A-Za-z]+\d+))?"
        ),
        "shared": re.compile(rb"t=\"s\"><" + p + rb"v>(\d+)</" + p + rb"v>"),
        "error": re.compile(
            rb"<"
            + p
            + rb"c r=\"([A-Za-z]+\d+)\"[^>]*?\bt=\"e\"[^>]*>(?:(?!</"
            + p
            + rb"c>).)*?<"
            + p
            + rb"v>([^<]*)</"
            + p
            + rb"v>",
            re.S,
        ),
    }


def scan_xlsx_body(scan, body, patterns, row_number):
    if b"<!" in body:
        scan.usual = False  # a comment or CDATA: counting tags by their bytes would be unsafe
    # Extent: the largest row and column any reference names.
    refs = ANY_REF.findall(body)
    if refs:
        rows = set(map(itemgetter(1), refs))
        scan.max_row = max(scan.max_row, max(map(int, rows)))
        letters = set(map(itemgetter(0), refs))
        letters.discard(b"")
        if letters:
            widest = max(len(letter) for letter in letters)
            if widest > 3:
                scan.max_col = max(scan.max_col, 26**widest)
            else:
                longest = max(letter.upper() for letter in letters if len(letter) == widest)
                scan.max_col = max(scan.max_col, column_number(longest))
    # Cells: every start tag of an element named c, whatever its prefix or spacing, against
    # those with r="…" first: calamine places a cell without one after the one before it.
    spaced = body.translate(SPACES)
    scan.starts += spaced.count(b"<c ") + spaced.count(b"<c>") + spaced.count(b"<c/")
    scan.referenced += body.count(patterns["referenced"])
    scan.shared += body.count(b't="s"') + body.count(b"t='s'")
    row_number = scan_rows(scan, body, patterns, row_number)
    if b't="e"' in body:
        for ref, text in patterns["error"].findall(body):
            where = cell_ref(ref)
            if where is not None and len(scan.errors) < MAX_ERROR_CELLS:
                row, col = where
                scan.errors.setdefault(row - 1, {})[col] = text.decode("utf-8", "replace")
    if b"mergeCell" in body:
        for first, last in patterns["merge"].findall(body):
            start = cell_ref(first)
            end = cell_ref(last) if last else start
            if start and end and len(scan.merged) < MAX_MERGED:
                scan.merged.append((start[0], start[1], end[0], end[1]))
    return row_number


def scan_rows(scan, body, patterns, row_number):
    """The hidden rows of a piece of the sheet; returns the number of its last row."""
    if HIDDEN_ANY.search(body) is None:
        # Only the last row's number matters: find its tag from the end.
        tag = patterns["row_tag"]
        at = body.rfind(tag)
        while at >= 0 and body[at + len(tag) : at + len(tag) + 1] not in (b" ", b">", b"/"):
            at = body.rfind(tag, 0, at)
        if at < 0:
            return row_number
        match = ROW_R.search(body, at, body.find(b">", at))
        if match is not None:
            return int(match.group(1))
    for attrs in patterns["row"].findall(body):
        match = ROW_R.search(attrs)
        # a row without r="…" follows the one before, as calamine and openpyxl number it
        row_number = int(match.group(1)) if match is not None else row_number + 1
        if b"hidden" in attrs and HIDDEN_ATTR.search(attrs):
            scan.hidden.add(row_number, row_number)
    return row_number
