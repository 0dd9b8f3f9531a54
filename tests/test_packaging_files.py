"""Cheap checks of the packaging files, without building: .desktop, icons, spec, scripts.

The real proof, building and running the frozen app, is .ci/build_frozen.sh.
"""

from __future__ import annotations

import ast
import os
import shutil
import stat
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from planner import APP_ID

ROOT = Path(__file__).resolve().parents[1]
RESOURCES = ROOT / "resources"
ICONS = RESOURCES / "icons"
DESKTOP = RESOURCES / f"{APP_ID}.desktop"
SPEC = ROOT / "planner.spec"
INSTALL = ROOT / "packaging" / "install-linux.sh"
HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
needs_bash = pytest.mark.skipif(
    sys.platform.startswith("win") or shutil.which("bash") is None, reason="needs bash"
)


def desktop_entry() -> dict[str, str]:
    lines = DESKTOP.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if line and not line.startswith("#"))


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils")
def test_desktop_file_validates() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_desktop_file_matches_the_app_id_and_the_executable() -> None:
    entry = desktop_entry()
    # The window announces APP_ID (setDesktopFileName -> Wayland app id, _GTK_APPLICATION_ID);
    # on X11 its WM_CLASS instance is the executable's name, `planner`.
    assert DESKTOP.name == f"{APP_ID}.desktop"
    assert entry["Icon"] == APP_ID
    assert entry["Exec"].split()[0] == "planner"
    assert entry["StartupWMClass"] == "planner"
    assert entry["Type"] == "Application"
    assert entry["Terminal"] == "false"


def test_svg_icon_is_well_formed() -> None:
    root = ET.parse(ICONS / "planner.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 256 256"
    scalable = ICONS / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    assert scalable.read_bytes() == (ICONS / "planner.svg").read_bytes(), (
        "run packaging/make_icons.py after editing planner.svg"
    )


@pytest.mark.parametrize("size", HICOLOR_SIZES)
def test_hicolor_png_has_its_size(size: int) -> None:
    path = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
    assert png_size(path.read_bytes()) == (size, size)


def test_windows_ico_holds_png_sizes_up_to_256() -> None:
    data = (ICONS / "planner.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = set()
    for index in range(count):
        width, _h, _c, _r, _p, _b, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * index : 22 + 16 * index]
        )
        assert png_size(data[offset : offset + length]) == (width or 256, width or 256)
        sizes.add(width or 256)
    assert {16, 32, 48, 256} <= sizes


def test_macos_icns_is_consistent() -> None:
    data = (ICONS / "planner.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    kinds = {}
    offset = 8
    while offset < len(data):
        kind = data[offset : offset + 4].decode("ascii")
        length = struct.unpack(">I", data[offset + 4 : offset + 8])[0]
        kinds[kind] = png_size(data[offset + 8 : offset + length])[0]
        offset += length
    assert offset == len(data)
    assert kinds["ic10"] == 1024 and kinds["ic07"] == 128


def spec_tree() -> ast.Module:
    return ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))


def spec_calls(name: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(spec_tree())
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name
    ]


def keywords(call: ast.Call) -> dict[str, ast.expr]:
    return {kw.arg: kw.value for kw in call.keywords if kw.arg}


def test_spec_parses_and_builds_the_two_programs_into_one_folder() -> None:
    names = {
        node.args[0].value for node in spec_calls("_exe") if isinstance(node.args[0], ast.Constant)
    }
    assert names == {"planner", "planner-cli"}
    (collect,) = spec_calls("COLLECT")
    assert [arg.id for arg in collect.args[:2] if isinstance(arg, ast.Name)] == [
        "gui_exe",
        "cli_exe",
    ]
    (bundle,) = spec_calls("BUNDLE")
    assert "bundle_identifier" in keywords(bundle)


def test_spec_never_uses_upx() -> None:
    for kind in ("EXE", "COLLECT"):
        for call in spec_calls(kind):
            upx = keywords(call)["upx"]
            assert isinstance(upx, ast.Constant) and upx.value is False


def test_spec_reads_name_and_version_from_pyproject() -> None:
    text = SPEC.read_text(encoding="utf-8")
    assert "tomllib" in text and '"pyproject.toml"' in text
    assert 'PROJECT["version"]' in text


def test_spec_collects_every_migration_file() -> None:
    """The spec collects env.py, script.py.mako and versions/*.py: nothing else may appear."""
    migrations = ROOT / "planner" / "db" / "migrations"
    collected = {migrations / "env.py", migrations / "script.py.mako"}
    collected |= set((migrations / "versions").glob("*.py"))
    present = {
        path for path in migrations.rglob("*") if path.is_file() and "__pycache__" not in path.parts
    }
    assert present == collected
    text = SPEC.read_text(encoding="utf-8")
    for needle in ('"env.py"', '"script.py.mako"', '"versions" / "*.py"', '"tzdata"'):
        assert needle in text


@needs_bash
@pytest.mark.parametrize("script", [INSTALL, ROOT / ".ci" / "build_frozen.sh"])
def test_shell_scripts_are_executable_bash(script: Path) -> None:
    assert script.stat().st_mode & stat.S_IXUSR
    subprocess.run(["bash", "-n", str(script)], check=True)


def fake_build(folder: Path) -> Path:
    """A stand-in for dist/planner: two tiny programs and the real resources/."""
    build = folder / "dist" / "planner"
    (build / "_internal").mkdir(parents=True)
    shutil.copytree(RESOURCES, build / "_internal" / "resources")
    for name in ("planner", "planner-cli"):
        program = build / name
        program.write_text("#!/bin/sh\necho 'Networking Planner 9.9'\n", encoding="utf-8")
        program.chmod(0o755)
    shutil.copy2(INSTALL, build / "install-linux.sh")
    return build


@needs_bash
def test_install_update_and_uninstall_for_a_user_leave_their_data(tmp_path: Path) -> None:
    home = tmp_path / "home"
    data = home / ".local" / "share" / APP_ID / "planner.sqlite3"
    data.parent.mkdir(parents=True)
    data.write_bytes(b"precious")
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    build = fake_build(tmp_path)
    script = str(build / "install-linux.sh")

    for _ in range(2):  # install, then update over it
        done = subprocess.run(["bash", script], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    app_dir = home / ".local" / "opt" / APP_ID
    assert (app_dir / "planner").is_file()
    assert os.readlink(home / ".local" / "bin" / "planner-cli") == str(app_dir / "planner-cli")
    desktop = home / ".local" / "share" / "applications" / f"{APP_ID}.desktop"
    assert f"Exec={app_dir}/planner" in desktop.read_text(encoding="utf-8").splitlines()
    icons = home / ".local" / "share" / "icons" / "hicolor"
    assert (icons / "48x48" / "apps" / f"{APP_ID}.png").is_file()
    assert (icons / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert not list(app_dir.parent.glob(f"{APP_ID}.*")), "staging folders left behind"

    done = subprocess.run(["bash", script, "--uninstall"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not app_dir.exists()
    assert not (home / ".local" / "bin" / "planner").exists()
    assert not desktop.exists()
    assert not (icons / "48x48" / "apps" / f"{APP_ID}.png").exists()
    assert data.read_bytes() == b"precious"


@needs_bash
def test_install_refuses_a_folder_that_is_not_a_build(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    done = subprocess.run(
        ["bash", str(INSTALL), "--from", str(tmp_path)], env=env, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert "not a Networking Planner build" in done.stderr
    assert not (tmp_path / ".local" / "opt").exists()
