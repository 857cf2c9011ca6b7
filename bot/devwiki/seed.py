"""Read the built-in sample set: wiki pages as wikitext files and small generated PNG images.

The sample set is what ``partnerbot devwiki seed`` imports into the local wiki: the demo a
newcomer sees first and the input of many tests. Pages live in ``samples/pages`` as one
``.wikitext`` file per page; the file name is the page title with ``_`` for spaces and
percent-encoding for characters a file name cannot hold (``/``, ``:``, ``%``). Images are described
in ``samples/images.toml`` and drawn here, so the repository holds no binary files.

This module uses the standard library only and does no I/O beyond reading the paths it is given.
"""

from __future__ import annotations

import struct
import tomllib
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from bot.errors import PartnerbotError

#: The directory holding the sample set.
SAMPLES_DIR = Path(__file__).resolve().parent / "samples"
#: The sample images' specification file.
SAMPLE_IMAGES = SAMPLES_DIR / "images.toml"
#: Largest width or height of a sample image, in pixels: samples stay tiny.
MAX_IMAGE_SIDE = 64

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PAGE_SUFFIX = ".wikitext"


class SampleDataError(PartnerbotError):
    """A sample file is malformed (the message names the file and the entry)."""

    hint = "fix the named file"


@dataclass(frozen=True)
class ImageSpec:
    """One sample image: its file name on the wiki, its size, colour and description page."""

    name: str
    width: int
    height: int
    rgb: tuple[int, int, int]
    description: str

    @property
    def title(self) -> str:
        """Return the wiki page title of the image, with the ``File:`` prefix."""
        return f"File:{self.name}"

    def png(self) -> bytes:
        """Return the image as PNG bytes."""
        return make_png(self.width, self.height, self.rgb)


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _lighter(rgb: tuple[int, int, int]) -> bytes:
    return bytes(channel + (255 - channel) // 2 for channel in rgb)


def make_png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """Return a valid truecolour PNG of ``width`` x ``height`` pixels in colour ``rgb``.

    The picture has diagonal stripes of ``rgb`` and a lighter shade of it, so two images with
    different sizes or colours never have the same bytes (MediaWiki refuses duplicate uploads).
    """
    if width < 1 or height < 1:
        raise ValueError(f"image size must be at least 1x1, not {width}x{height}")
    if len(rgb) != 3 or any(not 0 <= channel <= 255 for channel in rgb):
        raise ValueError(f"colour must be three values from 0 to 255, not {rgb!r}")
    dark = bytes(rgb)
    light = _lighter(rgb)
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type 0: the row's bytes are stored as they are
        for x in range(width):
            rows += dark if (x + y) // 4 % 2 == 0 else light
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (
        _PNG_SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + _chunk(b"IEND", b"")
    )


def _image_spec(entry: object, where: str) -> ImageSpec:
    if not isinstance(entry, dict):
        raise SampleDataError(f"{where}: expected a table")
    name = entry.get("name")
    if not isinstance(name, str) or not name.endswith(".png") or name.startswith("File:"):
        raise SampleDataError(f"{where}: name must be a file name ending .png, without File:")
    where = f"{where} ({name})"
    width, height = entry.get("width"), entry.get("height")
    if not (
        isinstance(width, int)
        and isinstance(height, int)
        and 1 <= width <= MAX_IMAGE_SIDE
        and 1 <= height <= MAX_IMAGE_SIDE
    ):
        raise SampleDataError(f"{where}: width and height must be whole numbers 1-{MAX_IMAGE_SIDE}")
    rgb = entry.get("rgb")
    if not (
        isinstance(rgb, list)
        and len(rgb) == 3
        and all(isinstance(channel, int) and 0 <= channel <= 255 for channel in rgb)
    ):
        raise SampleDataError(f"{where}: rgb must be a list of three whole numbers 0-255")
    description = entry.get("description")
    if not isinstance(description, str) or not description.strip():
        raise SampleDataError(f"{where}: description must be non-empty wikitext")
    unknown = sorted(set(entry) - {"name", "width", "height", "rgb", "description"})
    if unknown:
        raise SampleDataError(f"{where}: unknown key(s) {', '.join(unknown)}")
    return ImageSpec(name, width, height, (rgb[0], rgb[1], rgb[2]), description)


def load_image_specs(path: Path) -> tuple[ImageSpec, ...]:
    """Read the ``[[image]]`` entries of the TOML file at ``path``, in file order."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise SampleDataError(f"{path}: not valid TOML: {error}") from error
    entries = data.get("image", [])
    if not isinstance(entries, list):
        raise SampleDataError(f"{path}: image must be an array of tables ([[image]])")
    specs = tuple(
        _image_spec(entry, f"{path}: image {number}") for number, entry in enumerate(entries, 1)
    )
    names = [spec.name for spec in specs]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise SampleDataError(f"{path}: duplicate image name(s) {', '.join(duplicates)}")
    return specs


def title_from_file_name(file_name: str) -> str:
    """Return the page title a sample file stands for (``A%2FB_c.wikitext`` -> ``A/B c``)."""
    stem = file_name.removesuffix(_PAGE_SUFFIX)
    return unquote(stem.replace("_", " "), errors="strict")


def sample_changes() -> dict[str, str]:
    """Return the demo's second round of edits: a coordinator's updates after the first run."""
    return sample_pages(SAMPLES_DIR / "changes")


def sample_pages(directory: Path = SAMPLES_DIR / "pages") -> dict[str, str]:
    """Return the sample pages in ``directory`` as page title -> wikitext, sorted by title."""
    pages: dict[str, str] = {}
    for path in sorted(directory.glob(f"*{_PAGE_SUFFIX}")):
        try:
            title = title_from_file_name(path.name)
        except UnicodeDecodeError as error:
            raise SampleDataError(f"{path.name}: percent-encoding is not UTF-8") from error
        if title in pages:
            raise SampleDataError(f"{path.name}: another file already holds page {title!r}")
        pages[title] = path.read_text(encoding="utf-8")
    return dict(sorted(pages.items()))
