"""When a study may be resumed: same task, same search space, same data, same metric.

Each refusal is one sentence that says what changed; nothing is written before it.
"""

from __future__ import annotations

from typing import Any

from automl.errors import AutoMLError
from automl.space import describe_change

__all__ = ["check_resume", "source_change"]


def check_resume(
    name: str,
    attrs: dict[str, Any],
    task: str,
    resume: bool,
    where: str,
    signature: dict[str, Any],
    data: Any,
    metric_id: str,
) -> None:
    """Raise :class:`AutoMLError` unless the existing study ``name`` (its user attributes
    ``attrs``, stored at ``where``) may be continued by this search."""
    if attrs.get("task") != task:
        raise AutoMLError(
            f"study {name!r} in {where} is a {attrs.get('task', 'non-atomkb')} study; pass "
            "another --study name"
        )
    if not resume:
        raise AutoMLError(
            f"study {name!r} already exists in {where}; pass --resume to continue it or "
            "--study NAME to start another"
        )
    change = describe_change(attrs.get("space", {}), signature)
    if change:
        raise AutoMLError(
            f"study {name!r} cannot resume: its search space changed ({change}); start a "
            "new study with --study NAME"
        )
    if attrs.get("dataset_digest") != data.digest:
        raise AutoMLError(
            f"study {name!r} was searched on other data (content hash "
            f"{str(attrs.get('dataset_digest'))[:12]}..., now {data.digest[:12]}...); start "
            "a new study with --study NAME"
        )
    settings_change = source_change(attrs.get("source") or {}, data.source)
    if settings_change:
        raise AutoMLError(
            f"study {name!r} was searched with other data settings ({settings_change}); "
            "resume with the same ones or start a new study with --study NAME"
        )
    if attrs.get("metric") != metric_id:
        raise AutoMLError(
            f"study {name!r} optimises {attrs.get('metric')}, not {metric_id}; resume "
            "without --metric or start a new study"
        )


def source_change(old: dict[str, Any], new: dict[str, Any]) -> str | None:
    """How the data settings (columns, holdout, dataset) of a resume differ, or None."""
    keys = sorted((set(old) | set(new)) - {"seed", "path"})
    changed = [f"{k} {old.get(k)!r}, now {new.get(k)!r}" for k in keys if old.get(k) != new.get(k)]
    return "; ".join(changed) or None
