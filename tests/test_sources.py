"""Reading items from .txt, .json, .jsonl files and folders, with errors by file and line."""

from __future__ import annotations

import io
import json

from stream.replay import replay
from stream.sources import read_sources


def test_txt_gets_its_id_from_the_file_name(tmp_path):
    (tmp_path / "kyiv-strike.txt").write_text("Drones hit Kyiv overnight.", encoding="utf-8")
    [source] = read_sources([tmp_path / "kyiv-strike.txt"])
    assert source.item.id == "kyiv-strike"
    assert source.item.text == "Drones hit Kyiv overnight."


def test_json_object_list_and_jsonl(tmp_path):
    (tmp_path / "one.json").write_text(json.dumps({"id": "a", "text": "A.", "title": "T"}))
    (tmp_path / "many.json").write_text(
        json.dumps([{"id": "b", "text": "B."}, {"id": 7, "text": "C."}])
    )
    (tmp_path / "lines.jsonl").write_text(
        '{"id": "d", "text": "D."}\n\n{"id": "e", "text": "E."}\n'
    )
    ids = [
        s.item.id
        for s in read_sources(
            [tmp_path / "one.json", tmp_path / "many.json", tmp_path / "lines.jsonl"]
        )
    ]
    assert ids == ["a", "b", "7", "d", "e"]


def test_folder_is_read_recursively_in_sorted_order(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_text("Second.")
    (tmp_path / "a.txt").write_text("First.")
    (tmp_path / "sub" / "c.jsonl").write_text('{"id": "c", "text": "Third."}\n')
    (tmp_path / "notes.md").write_text("ignored")
    assert [s.item.id for s in read_sources([tmp_path])] == ["a", "b", "c"]


def test_bad_lines_are_reported_by_file_and_line_and_the_rest_still_read(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"id": "ok1", "text": "Fine."}\n'
        "{not json\n"
        '{"id": "no-text"}\n'
        '{"id": "empty", "text": "   "}\n'
        '["a list"]\n'
        '{"id": "ok2", "text": "Also fine.", "title": 5}\n'
        '{"id": "ok3", "text": "Fine again."}\n'
    )
    sources = list(read_sources([path]))
    assert [s.item.id for s in sources if s.item] == ["ok1", "ok3"]
    errors = {s.origin: s.error for s in sources if s.error}
    assert set(errors) == {f"{path}:{n}" for n in (2, 3, 4, 5, 6)}
    assert "not valid JSON" in errors[f"{path}:2"]
    assert "missing required field 'text'" in errors[f"{path}:3"]
    assert "empty" in errors[f"{path}:4"]
    assert "expected a JSON object" in errors[f"{path}:5"]
    assert "'title' must be a string" in errors[f"{path}:6"]


def test_missing_path_bad_utf8_and_unsupported_type(tmp_path):
    (tmp_path / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    (tmp_path / "data.csv").write_text("id,text\n")
    sources = list(
        read_sources([tmp_path / "nope", tmp_path / "latin1.txt", tmp_path / "data.csv"])
    )
    assert [s.item for s in sources] == [None, None, None]
    assert "no such file" in sources[0].error
    assert "UTF-8" in sources[1].error
    assert "unsupported file type" in sources[2].error


def test_replay_dry_run_counts_and_names_bad_input(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("An article.")
    (tmp_path / "b.jsonl").write_text('{"id": "b", "text": "B."}\nbroken\n')
    summary = replay([tmp_path], topic="news.items", dry_run=True, loop=3, progress=False)
    assert (summary.sent, summary.skipped, summary.errors) == (6, 1, 0)
    assert not summary.ok
    assert f"{tmp_path / 'b.jsonl'}:2" in capsys.readouterr().err


def test_lines_json_cannot_hold_are_reported_by_line_and_skipped(tmp_path):
    """Huge integers, deep nesting and lone surrogates: the same checks as the worker's."""
    path = tmp_path / "hostile.jsonl"
    lines = [
        '{"id": "a", "text": "Fine."}',
        '{"id": "h", "text": "x", "n": ' + "9" * 5_000 + "}",
        '{"id": "d", "text": "x", "e": ' + "[" * 10_000 + "]" * 10_000 + "}",
        '{"id": "s\\ud800", "text": "abc"}',
        '{"id": "b", "text": "Fine too."}',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sources = list(read_sources([path]))
    assert [s.item.id for s in sources if s.item] == ["a", "b"]
    errors = {s.origin: s.error for s in sources if s.error}
    assert "integer of over" in errors[f"{path}:2"]
    assert "nested too deeply" in errors[f"{path}:3"]
    assert "no UTF-8 form" in errors[f"{path}:4"]
    summary = replay([path], topic="t", dry_run=True, progress=False, err=io.StringIO())
    assert (summary.sent, summary.skipped) == (2, 3)


def test_a_json_file_nested_too_deeply_is_reported_by_name(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 10_000 + "]" * 10_000)
    [source] = read_sources([path])
    assert source.origin == str(path) and "nested too deeply" in source.error
