"""Benchmark: one notice through this renderer, docxtemplater and Carbone; PDFs against Carbone.

The same one-page 约谈通知书 (eleven fields and a ten-row table loop) is generated here with
python-docx in each engine's tag syntax — ``{{ party }}``/``{%tr for %}`` for ours,
``{party}``/``{#rows}…{/rows}`` for docxtemplater, ``{d.party}``/``{d.rows[i].no}`` for
Carbone — so the three templates differ only in their tags. All three render the same data,
and the text of their DOCX outputs must be identical before anything is timed.

DOCX: each engine renders in one long-lived process that read the template once — ours in
process, each peer in a Node process (``bench/peers/engines.js``) — warmed up first, then timed
per document in interleaved rounds so that every engine sees the same machine load.
PDF: this service's ConverterPool and Carbone (``factories``) get the same number of
LibreOffice workers and are fed that many documents at a time; per-document time counts the
DOCX render too on both sides. Ours writes PDF/A-2b; Carbone 3 can only write plain PDF.

The peers are installed under ``bench/peers/`` with ``npm ci`` when absent; without npm or the
registry the run is skipped (and still ends with a JSON line saying why).

    .venv/bin/python bench/peers.py [--n 500] [--pdf-n 60] [--workers 2] [--keep DIR]

The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from pypdf import PdfReader

from doc_templates.converter import ConverterPool
from doc_templates.converter.worker import UNO_PYTHON
from doc_templates.fonts import fontconfig_env
from doc_templates.renderer import CompiledDocx

PEERS_DIR = Path(__file__).resolve().parent / "peers"
PEER_PACKAGES = ("docxtemplater", "pizzip", "carbone")
# Carbone looks for soffice.bin on PATH (Debian does not put it there) and runs its converter
# script with the first python3 on PATH, which must be the one that has python3-uno.
SOFFICE_DIR = Path("/usr/lib/libreoffice/program")
FIELDS = ("agency", "doc_no", "party", "address", "representative", "cause", "time", "place")
FIELDS += ("contact", "phone", "issued_on")
COLUMNS = ("no", "item", "basis", "requirement")
COLUMN_MM = (12, 46, 42, 58)
# Few PDF rounds: each round ends with workers idling while the last documents finish.
PDF_ROUNDS = 2

NOTICE: dict[str, Any] = {
    "agency": "某某市市场监督管理局",
    "doc_no": "某市监约通〔2026〕17号",
    "party": "某某餐饮管理有限公司",
    "address": "某某市某某区中山路128号",
    "representative": "王某某",
    "cause": "未按规定落实食品安全主体责任",
    "time": "2026年11月30日9时30分",
    "place": "本局三楼第二会议室",
    "contact": "李某某",
    "phone": "0571-8888 6666",
    "issued_on": "2026年11月22日",
    "rows": [
        {
            "no": str(i),
            "item": f"第{i}项：{item}",
            "basis": f"《食品安全法》第{40 + i}条",
            "requirement": f"{requirement}，{5 * i}个工作日内书面报告",
        }
        for i, (item, requirement) in enumerate(
            [
                ("进货查验记录不全", "补全近三个月进货查验记录"),
                ("冷藏温度超标", "冷藏设施保持 <8℃ & 建立每日温度记录台账"),
                ("从业人员健康证过期", "组织从业人员体检并更新健康证明"),
                ("餐具消毒不到位", "按规程清洗消毒并留存记录"),
                ("食品添加剂未专柜存放", "设立专柜并专人管理"),
                ("过期原料未及时清理", "清理过期原料并建立临期预警"),
                ("虫害防制措施缺失", "委托专业机构开展虫害防制"),
                ("后厨生熟未分开", "划分生熟加工区并标识"),
                ("留样不足48小时", "按规定留样并登记"),
                ("食品安全管理员未到岗", "配备食品安全管理员并培训考核"),
            ],
            start=1,
        )
    ],
}


@dataclass(frozen=True)
class Syntax:
    """One engine's tags: how a field is written and how the table rows loop."""

    engine: str
    field: Callable[[str], str]
    loop_rows: Callable[[str], list[list[str]]]  # rows of cell texts, from the item variable


def _docxtpl_rows(item: str) -> list[list[str]]:
    return [
        ["{%tr for " + item + " in rows %}", "", "", ""],
        ["{{ " + f"{item}.{c}" + " }}" for c in COLUMNS],
        ["{%tr endfor %}", "", "", ""],
    ]


def _docxtemplater_rows(item: str) -> list[list[str]]:
    cells = ["{" + c + "}" for c in COLUMNS]
    return [["{#rows}" + cells[0], *cells[1:-1], cells[-1] + "{/rows}"]]


def _carbone_rows(item: str) -> list[list[str]]:
    return [["{d.rows[" + i + "]." + c + "}" for c in COLUMNS] for i in ("i", "i+1")]


SYNTAXES = (
    Syntax("anjuan", lambda name: "{{ " + name + " }}", _docxtpl_rows),
    Syntax("docxtemplater", lambda name: "{" + name + "}", _docxtemplater_rows),
    Syntax("carbone", lambda name: "{d." + name + "}", _carbone_rows),
)


def write_template(path: Path, syntax: Syntax) -> None:
    """The notice in ``syntax``: A4, 仿宋 body, a centred title, the table, sign-off."""
    f = syntax.field
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(26)
    section.top_margin, section.bottom_margin = Mm(30), Mm(28)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "仿宋", Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋")

    def paragraph(text: str, align: WD_ALIGN_PARAGRAPH | None = None, size: int = 0) -> None:
        block = document.add_paragraph()
        block.alignment = align
        run = block.add_run(text)
        if size:
            run.font.size, run.bold = Pt(size), True

    centre, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    paragraph(f("agency"), centre, 16)
    paragraph("约谈通知书", centre, 22)
    paragraph(f("doc_no"), right)
    paragraph(f("party") + "：")
    paragraph(
        f"你单位（地址：{f('address')}）涉嫌{f('cause')}。根据《中华人民共和国食品安全法》"
        f"第一百一十四条，本局定于{f('time')}在{f('place')}对你单位进行约谈，请法定代表人"
        f"（负责人）{f('representative')}准时参加，并就下列事项作出说明："
    )
    rows = [["序号", "约谈事项", "依据", "整改要求"], *syntax.loop_rows("r")]
    table = document.add_table(rows=len(rows), cols=len(COLUMNS))
    table.style, table.autofit = "Table Grid", False
    for column, width in zip(table.columns, COLUMN_MM, strict=True):
        column.width = Mm(width)  # the grid LibreOffice lays out by
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text, width in zip(row.cells, texts, COLUMN_MM, strict=True):
            cell.width = Mm(width)
            cell.paragraphs[0].add_run(text).font.size = Pt(10.5)
    paragraph(f"联系人：{f('contact')}　　联系电话：{f('phone')}")
    paragraph(f("agency"), right)
    paragraph("（印章）", right)
    paragraph(f("issued_on"), right)
    document.save(path)


def docx_text(content: bytes) -> str:
    """Every paragraph of the body and of each table cell, in document order."""
    document = docx.Document(io.BytesIO(content))
    texts: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            texts.append(block.text)
        else:
            texts += ["\t".join(cell.text for cell in row.cells) for row in block.rows]
    return "\n".join(texts)


def expected_values() -> list[str]:
    """Every value of the data, each of which an output must contain."""
    return [NOTICE[k] for k in FIELDS] + [r[c] for r in NOTICE["rows"] for c in COLUMNS]


def check_docx_outputs(outputs: dict[str, bytes]) -> None:
    """Fail loudly unless every output holds all the data and the same text as ours."""
    texts = {engine: docx_text(content) for engine, content in outputs.items()}
    for engine, text in texts.items():
        missing = [v for v in expected_values() if v not in text]
        if missing or "{" in text:
            raise SystemExit(f"{engine}: output lacks {missing[:3]} or keeps tags:\n{text}")
    ours = texts["anjuan"]
    for engine, text in texts.items():
        if text != ours:
            pairs = zip(ours.splitlines(), text.splitlines(), strict=False)
            diff = [(a, b) for a, b in pairs if a != b] or "the number of lines"
            raise SystemExit(f"{engine}'s DOCX text differs from ours: {diff[:3]}")


def check_pdf(engine: str, pdf: bytes) -> int:
    """Fail loudly unless the PDF has pages holding the data; the page count."""
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    missing = ["".join(v.split()) for v in expected_values() if "".join(v.split()) not in text]
    if not reader.pages or missing:
        raise SystemExit(f"{engine}: PDF lacks {missing[:3]} ({len(reader.pages)} pages)")
    return len(reader.pages)


def install_peers() -> str | None:
    """``npm ci`` under bench/peers when a pinned peer is missing; the reason to skip, if any."""
    pinned = json.loads((PEERS_DIR / "package.json").read_text())["dependencies"]

    def installed(name: str) -> str | None:
        manifest = PEERS_DIR / "node_modules" / name / "package.json"
        return json.loads(manifest.read_text())["version"] if manifest.exists() else None

    if all(installed(name) == pinned[name] for name in PEER_PACKAGES):
        return None
    npm, node = shutil.which("npm"), shutil.which("node")
    if npm is None or node is None:
        return "node and npm are needed to install docxtemplater, pizzip and carbone"
    print("installing the peers: npm ci in bench/peers")
    try:
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=PEERS_DIR,
            capture_output=True,
            text=True,
            timeout=300,
        )
    except subprocess.TimeoutExpired:
        return "npm ci did not finish within 300 s: the npm registry looks unreachable"
    if done.returncode != 0:
        lines = [line.removeprefix("npm error").strip() for line in done.stderr.splitlines()]
        why = [line for line in lines if line.startswith("code ") or "reason:" in line]
        return f"npm ci failed, is the npm registry reachable? {'; '.join(why or lines[-3:])}"
    return None


class Peer:
    """A Node process rendering with one peer engine, answering one command at a time."""

    def __init__(self, engine: str, template: Path, data: Path, out: Path, env: dict[str, str]):
        node = shutil.which("node") or "node"
        self.engine = engine
        self._proc = subprocess.Popen(
            [node, str(PEERS_DIR / "engines.js"), engine, str(template), str(data), str(out)],
            cwd=PEERS_DIR,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        hello = self._read()
        self.versions: dict[str, str] = {**hello["versions"], "node": hello["node"]}

    def call(self, cmd: str, **args: Any) -> dict[str, Any]:
        """Send one command and wait for its answer."""
        assert self._proc.stdin is not None
        self._proc.stdin.write(json.dumps({"cmd": cmd, **args}) + "\n")
        self._proc.stdin.flush()
        return self._read()

    def _read(self) -> dict[str, Any]:
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            raise SystemExit(f"{self.engine}: the Node process ended (status {self._proc.wait()})")
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise SystemExit(f"{self.engine}: {answer['error']}")
        return answer

    def close(self) -> None:
        """Close stdin (the process exits and kills its LibreOffice factories) and wait."""
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        try:
            self._proc.wait(30)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(math.ceil(0.95 * len(ordered)) - 1, 0)]


def describe(label: str, values: list[float], extra: str = "") -> str:
    """One human-readable line of figures."""
    return (
        f"{label:<32} n={len(values):<4} p50={statistics.median(values):8.2f} ms  "
        f"p95={p95(values):8.2f} ms  mean={statistics.fmean(values):8.2f} ms{extra}"
    )


def split(total: int, rounds: int, round_no: int) -> int:
    """Round ``round_no``'s share of ``total`` items over ``rounds`` rounds."""
    return total * (round_no + 1) // rounds - total * round_no // rounds


def libreoffice_version() -> str | None:
    """The Debian package's version of LibreOffice Writer, if dpkg knows it."""
    if shutil.which("dpkg-query") is None:
        return None
    done = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", "libreoffice-writer-nogui"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or None


def bench_docx(
    compiled: CompiledDocx, peers: list[Peer], n: int, warmup: int, rounds: int
) -> dict[str, list[float]]:
    """Per-document DOCX milliseconds of each engine, warmed up, in interleaved rounds."""
    ms: dict[str, list[float]] = {"anjuan": [], **{p.engine: [] for p in peers}}

    def ours(count: int) -> list[float]:
        out = []
        for _ in range(count):
            began = time.perf_counter()
            compiled.render(NOTICE)
            out.append((time.perf_counter() - began) * 1000)
        return out

    ours(warmup)
    for peer in peers:
        peer.call("docx", n=warmup)
    for round_no in range(rounds):
        share = split(n, rounds, round_no)
        ms["anjuan"] += ours(share)
        for peer in peers:
            ms[peer.engine] += peer.call("docx", n=share)["ms"]
    return ms


def bench_pdf(
    compiled: CompiledDocx, carbone: Peer, n: int, workers: int, rounds: int, keep: Path
) -> dict[str, Any]:
    """Per-document PDF milliseconds and docs/s, same worker count and load on both sides."""
    ms: dict[str, list[float]] = {"anjuan": [], "carbone": []}
    wall = {"anjuan": 0.0, "carbone": 0.0}
    began = time.perf_counter()
    carbone.call("pdf_start", workers=workers)
    with (
        ConverterPool(workers, env=fontconfig_env()) as pool,
        ThreadPoolExecutor(workers, thread_name_prefix="bench-pdf") as feeders,
    ):
        carbone.call("pdf", n=2 * workers, workers=workers)  # factories up, documents warm
        print(
            f"{workers} + {workers} LibreOffice workers warm in {time.perf_counter() - began:.0f} s"
        )

        def one(_: int) -> tuple[float, bytes]:
            start = time.perf_counter()
            pdf = pool.convert(compiled.render(NOTICE))
            return (time.perf_counter() - start) * 1000, pdf

        list(feeders.map(one, range(2 * workers)))
        for round_no in range(rounds):
            share = split(n, rounds, round_no)
            start = time.perf_counter()
            results = list(feeders.map(one, range(share)))
            wall["anjuan"] += time.perf_counter() - start
            ms["anjuan"] += [r[0] for r in results]
            answer = carbone.call("pdf", n=share, workers=workers)
            wall["carbone"] += answer["wall_ms"] / 1000
            ms["carbone"] += answer["ms"]
        ours_pdf = results[-1][1]
    (keep / "anjuan.pdf").write_bytes(ours_pdf)
    carbone_pdf = Path(carbone.call("save", kind="pdf")["path"]).read_bytes()
    pages = {"anjuan": check_pdf("anjuan", ours_pdf), "carbone": check_pdf("carbone", carbone_pdf)}
    if pages["anjuan"] != pages["carbone"]:
        raise SystemExit(f"the PDFs differ in page count: {pages}")
    return {"ms": ms, "docs_per_s": {k: n / wall[k] for k in wall}, "pages": pages["anjuan"]}


def main() -> None:
    """Check the outputs, time both phases and print the comparison, JSON last."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500, help="timed DOCX renders per engine")
    # Generous: V8 needs a few hundred renders before docxtemplater runs at its best.
    parser.add_argument("--warmup", type=int, default=300, help="untimed DOCX renders first")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds")
    parser.add_argument("--pdf-n", type=int, default=60, help="timed PDFs per side (0: none)")
    parser.add_argument("--workers", type=int, default=2, help="LibreOffice workers per side")
    parser.add_argument("--keep", type=Path, help="keep templates and outputs in this directory")
    args = parser.parse_args()

    skipped = install_peers()
    if skipped is not None:
        print(f"SKIPPED: {skipped}")
        print(json.dumps({"skipped": skipped}))
        return

    with tempfile.TemporaryDirectory(prefix="bench-peers-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for syntax in SYNTAXES:
            write_template(work / f"{syntax.engine}.template.docx", syntax)
        data = work / "data.json"
        data.write_text(json.dumps(NOTICE, ensure_ascii=False), encoding="utf-8")
        node_dir = str(Path(shutil.which("node") or "/usr/bin/node").parent)
        path = [str(SOFFICE_DIR), str(Path(UNO_PYTHON).parent), node_dir, "/bin"]
        env = {**os.environ, **fontconfig_env(), "PATH": ":".join(path), "TMPDIR": str(work)}
        compiled = CompiledDocx.load(work / "anjuan.template.docx")
        peers = [
            Peer(e, work / f"{e}.template.docx", data, work, env)
            for e in ("docxtemplater", "carbone")
        ]
        try:
            outputs = {"anjuan": compiled.render(NOTICE)}
            (work / "anjuan.docx").write_bytes(outputs["anjuan"])
            for peer in peers:
                outputs[peer.engine] = Path(peer.call("save", kind="docx")["path"]).read_bytes()
            check_docx_outputs(outputs)
            print("the three DOCX outputs hold the same text")
            docx_ms = bench_docx(compiled, peers, args.n, args.warmup, args.rounds)
            pdf, no_pdf = None, None
            if not (SOFFICE_DIR / "soffice.bin").exists():
                no_pdf = f"no LibreOffice in {SOFFICE_DIR} (Debian's libreoffice-writer-nogui)"
                print(f"PDF SKIPPED: {no_pdf}")
            elif args.pdf_n:
                pdf = bench_pdf(compiled, peers[1], args.pdf_n, args.workers, PDF_ROUNDS, work)
        finally:
            for peer in peers:
                peer.close()
    versions = {k: v for p in peers for k, v in p.versions.items()}
    versions["libreoffice"] = libreoffice_version() or "unknown"

    for engine, values in docx_ms.items():
        print(describe(f"DOCX {engine}", values))
    p50 = {engine: statistics.median(values) for engine, values in docx_ms.items()}
    fastest = min(("docxtemplater", "carbone"), key=p50.__getitem__)
    ratio = p50[fastest] / p50["anjuan"]
    print(f"ours is {ratio:.1f}x faster than the fastest peer, {fastest} (p50; target ≥ 2x)")
    result: dict[str, Any] = {
        "document": "约谈通知书, 11 fields + 10-row table",
        "n": args.n,
        "docx_ms": round(p50["anjuan"], 3),
        "docx_p95_ms": round(p95(docx_ms["anjuan"]), 3),
        "docx_mean_ms": round(statistics.fmean(docx_ms["anjuan"]), 3),
        "docx_ms_docxtemplater": round(p50["docxtemplater"], 3),
        "docx_p95_ms_docxtemplater": round(p95(docx_ms["docxtemplater"]), 3),
        "docx_mean_ms_docxtemplater": round(statistics.fmean(docx_ms["docxtemplater"]), 3),
        "docx_ms_carbone": round(p50["carbone"], 3),
        "docx_p95_ms_carbone": round(p95(docx_ms["carbone"]), 3),
        "docx_mean_ms_carbone": round(statistics.fmean(docx_ms["carbone"]), 3),
        "docx_fastest_peer": fastest,
        "docx_ratio_vs_fastest_peer": round(ratio, 2),
    }
    if pdf is not None:
        for engine, values in pdf["ms"].items():
            rate = pdf["docs_per_s"][engine]
            print(describe(f"PDF {engine}", values, f"  {rate:5.2f} docs/s"))
        rates = pdf["docs_per_s"]
        print(
            f"with {args.workers} workers each: {rates['anjuan'] / rates['carbone']:.2f}x "
            "Carbone's throughput (target ≥ 1x); ours PDF/A-2b, Carbone's plain PDF"
        )
        result |= {
            "pdf_workers": args.workers,
            "pdf_n": args.pdf_n,
            "pdf_pages": pdf["pages"],
            "pdf_ms": round(statistics.median(pdf["ms"]["anjuan"]), 1),
            "pdf_p95_ms": round(p95(pdf["ms"]["anjuan"]), 1),
            "pdf_docs_per_s": round(rates["anjuan"], 2),
            "pdf_ms_carbone": round(statistics.median(pdf["ms"]["carbone"]), 1),
            "pdf_p95_ms_carbone": round(p95(pdf["ms"]["carbone"]), 1),
            "pdf_docs_per_s_carbone": round(rates["carbone"], 2),
            "pdf_throughput_ratio": round(rates["anjuan"] / rates["carbone"], 2),
            "pdf_format": {"anjuan": "PDF/A-2b", "carbone": "PDF"},
        }
    if no_pdf is not None:
        result["pdf_skipped"] = no_pdf
    result["versions"] = versions
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
