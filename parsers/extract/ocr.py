"""OCR engines: crops of single text lines in, (text, confidence) out.

The page reader cuts a page into text lines itself (table cells from the rulings, lines
from the ink profile), so an engine only recognises lines; that is both engines' strong
suit and keeps them interchangeable for the benchmark. Both ship their models in a package,
nothing is downloaded at run time: RapidOCR's wheel carries its PP-OCRv4 models, Tesseract's
Chinese data comes from Debian's tesseract-ocr-chi-sim.

RapidOCR is the one the parser uses (README, "Scans and images" gives the measurements);
Tesseract stays as the measured alternative for ``benchmarks/ocr_accuracy.py``.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import cv2
import numpy as np

from parsers.errors import ExtractionError


@dataclass(frozen=True)
class LineReading:
    text: str
    confidence: float  # 0..1, the engine's own score


class OcrEngine(Protocol):
    name: str
    # Below this confidence a reading is flagged: calibrated per engine on the benchmark
    # pages so that every misread cell there falls under it.
    threshold: float

    def read_lines(self, crops: list[np.ndarray]) -> list[LineReading]: ...


class RapidOcrEngine:
    name = "rapidocr"
    threshold = 0.9

    def __init__(self) -> None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as exc:
            raise ExtractionError("OCR needs the rapidocr_onnxruntime package, which is not installed") from exc
        # One thread: parsing runs in several worker processes, one page each at a time.
        self._recognise = RapidOCR(intra_op_num_threads=1).text_rec

    def read_lines(self, crops: list[np.ndarray]) -> list[LineReading]:
        if not crops:
            return []
        colour = [cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR) if crop.ndim == 2 else crop for crop in crops]
        results, _ = self._recognise(colour)
        return [LineReading(text, float(score)) for text, score in results]


class TesseractEngine:
    """Tesseract on all lines of a page at once: one process per page, not per line.

    The crops are stacked into one tall image, a line per band, and read as a block of
    text; each recognised word goes back to the band its centre falls in.
    """

    name = "tesseract"
    threshold = 0.8
    _GAP = 24

    def read_lines(self, crops: list[np.ndarray]) -> list[LineReading]:
        if not crops:
            return []
        grays = [cv2.cvtColor(c, cv2.COLOR_BGR2GRAY) if c.ndim == 3 else c for c in crops]
        width = max(c.shape[1] for c in grays) + 2 * self._GAP
        height = sum(c.shape[0] + self._GAP for c in grays) + self._GAP
        sheet = np.full((height, width), 255, np.uint8)
        bands = []
        top = self._GAP
        for crop in grays:
            sheet[top : top + crop.shape[0], self._GAP : self._GAP + crop.shape[1]] = crop
            bands.append((top - self._GAP // 2, top + crop.shape[0] + self._GAP // 2))
            top += crop.shape[0] + self._GAP
        words: list[list[tuple[int, str, float]]] = [[] for _ in grays]
        for left, top_y, word_height, text, confidence in _tesseract_words(sheet):
            centre = top_y + word_height // 2
            for index, (start, end) in enumerate(bands):
                if start <= centre < end:
                    words[index].append((left, text, confidence))
                    break
        readings = []
        for found in words:
            found.sort()
            text = _join_words([w for _, w, _ in found])
            readings.append(LineReading(text, min((c for _, _, c in found), default=0.0)))
        return readings


def _tesseract_words(sheet: np.ndarray) -> list[tuple[int, int, int, str, float]]:
    ok, png = cv2.imencode(".png", sheet)
    try:
        result = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", "chi_sim", "--psm", "6", "tsv"],
            input=png.tobytes(), capture_output=True, check=True, timeout=300,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},  # one thread per parser worker, as for RapidOCR
        )
    except FileNotFoundError as exc:
        raise ExtractionError("OCR with Tesseract needs the tesseract-ocr and tesseract-ocr-chi-sim packages") from exc
    except subprocess.CalledProcessError as exc:
        raise ExtractionError(f"tesseract failed: {exc.stderr.decode(errors='replace').strip()[:200]}") from exc
    words = []
    for line in result.stdout.decode("utf-8", errors="replace").splitlines()[1:]:
        fields = line.split("\t")
        if len(fields) == 12 and fields[11].strip():
            words.append((int(fields[6]), int(fields[7]), int(fields[9]), fields[11].strip(), float(fields[10]) / 100))
    return words


def _join_words(words: list[str]) -> str:
    """Tesseract splits Chinese into one word per character; only Latin words keep a space between them."""
    text = ""
    for word in words:
        if text and text[-1].isascii() and text[-1].isalnum() and word[0].isascii() and word[0].isalnum():
            text += " "
        text += word
    return text


ENGINES: dict[str, type] = {"rapidocr": RapidOcrEngine, "tesseract": TesseractEngine}


def engine() -> OcrEngine:
    """The engine named by HARVESTER_OCR_ENGINE (default rapidocr), one per process."""
    name = os.environ.get("HARVESTER_OCR_ENGINE", "rapidocr")
    if name not in ENGINES:
        raise ExtractionError(f"unknown OCR engine {name!r} in HARVESTER_OCR_ENGINE (known: {', '.join(ENGINES)})")
    return _loaded(name)


@lru_cache(maxsize=None)
def _loaded(name: str) -> OcrEngine:
    """Loading the models takes a second, reading a page several: load once per process."""
    return ENGINES[name]()
