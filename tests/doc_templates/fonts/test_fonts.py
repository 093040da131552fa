"""The official faces map to simplified-Chinese faces, and an installed official font wins."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from doc_templates.fonts import fontconfig_env, fonts_conf_path
from doc_templates.fonts.derived import derived_faces, rename_cff

FACES = derived_faces()
needs_noto = pytest.mark.skipif(not FACES, reason="Debian fonts-noto-cjk is not installed")


def _match(face: str, env: dict[str, str]) -> tuple[str, str, str]:
    out = subprocess.run(
        ["fc-match", "-f", "%{family[0]}|%{style[0]}|%{file}", f"{face}:lang=zh-cn"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    family, style, file = out.split("|")
    return family, style, file


@needs_noto
def test_derived_faces_carry_sc_names_and_the_sc_character_map():
    for face in FACES:
        derived = TTFont(str(face.target), lazy=True)
        cff = derived["CFF "].cff
        top = cff[cff.fontNames[0]]
        names = [cff.fontNames[0], *(fd.FontName for fd in top.FDArray)]
        assert all("CJKsc-" in name for name in names), names
        assert not any("jp" in name for name in names)
        source = TTFont(str(face.source), fontNumber=face.index, lazy=True)
        assert derived.getBestCmap() == source.getBestCmap()
        assert derived["maxp"].numGlyphs == source["maxp"].numGlyphs


@needs_noto
def test_renaming_leaves_every_glyph_program_untouched():
    face = FACES[0]
    raw = TTFont(str(face.source), fontNumber=face.index, lazy=True).reader["CFF "]
    renamed = rename_cff(raw)
    assert len(renamed) == len(raw)
    changed = [i for i, (a, b) in enumerate(zip(raw, renamed, strict=True)) if a != b]
    assert changed and max(changed) < 4096  # only the names at the head of the table


@needs_noto
@pytest.mark.parametrize(
    ("face", "family", "style"),
    [
        ("仿宋_GB2312", "Noto Serif CJK SC", "Regular"),
        ("仿宋", "Noto Serif CJK SC", "Regular"),
        ("方正小标宋简体", "Noto Serif CJK SC", "Bold"),
        ("黑体", "Noto Sans CJK SC", "Regular"),
        ("楷体", "Noto Serif CJK SC", "Regular"),
        ("宋体", "Noto Serif CJK SC", "Regular"),
    ],
)
def test_official_faces_fall_back_to_the_derived_sc_faces(face, family, style):
    got_family, got_style, file = _match(face, fontconfig_env())
    assert (got_family, got_style) == (family, style)
    assert Path(file) in {f.target for f in FACES}


@needs_noto
def test_an_installed_official_font_wins_over_the_substitute(tmp_path):
    official = tmp_path / "fonts" / "fangsong_gb2312.otf"
    official.parent.mkdir()
    font = TTFont(str(FACES[0].target), lazy=True)
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = "仿宋_GB2312"
    font.save(str(official))
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><fontconfig>'
        f"<include>{fonts_conf_path()}</include><dir>{official.parent}</dir>"
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    family, _, file = _match("仿宋_GB2312", {"FONTCONFIG_FILE": str(conf)})
    assert (family, Path(file)) == ("仿宋_GB2312", official)
