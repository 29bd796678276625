"""Directives and a role usable from MyST and reST, all fed by the catalog.

* ``:component:`id``` links to a component or dataset page by id;
* ``.. component-card:: id`` embeds a card (name, summary, level, kind, tasks);
* ``.. catalog-table::`` embeds a table of components (options ``task``, ``level``,
  ``kind``, ``tag``; ``filter`` adds the filter bar);
* ``.. catalog-schema::`` and ``.. catalog-vocabulary:: tags`` render the metadata
  reference from the pydantic model and the vocabularies.

An unknown id becomes a warning located at the document line, so ``-W`` fails on it.
Documents that use any of them are re-read when the catalog changes.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

from catalog import (
    CAPABILITIES,
    KINDS,
    LEVELS,
    MATURITIES,
    TAGS,
    TASKS,
    ComponentMeta,
    DatasetInfo,
    filter_records,
)
from sphinx_ext._catalog import catalog_view, rst_text

__all__ = [
    "CatalogSchema",
    "CatalogTable",
    "CatalogVocabulary",
    "ComponentCard",
    "ComponentRole",
    "register",
]

logger = logging.getLogger(__name__)

VOCABULARIES = {
    "tasks": TASKS,
    "levels": LEVELS,
    "kinds": KINDS,
    "tags": TAGS,
    "capabilities": CAPABILITIES,
    "maturities": MATURITIES,
}


def _note_catalog_use(env: BuildEnvironment) -> None:
    if not hasattr(env, "kb_catalog_docs"):
        env.kb_catalog_docs = set()
    env.kb_catalog_docs.add(env.docname)


def _unknown(component_id: str) -> str:
    from difflib import get_close_matches

    close = get_close_matches(component_id, catalog_view().by_id, n=1, cutoff=0.5)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown component id {component_id!r}{hint} (`kb catalog list` shows them all)"


class ComponentRole(SphinxRole):
    """``:component:`anomaly.isolation-forest``` or ``:component:`text <id>```."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        _note_catalog_use(self.env)
        text = self.text.strip()
        title, component_id = text, text
        if text.endswith(">") and "<" in text:
            title, component_id = (part.strip() for part in text[:-1].rsplit("<", 1))
        view = catalog_view()
        if component_id not in view.by_id:
            logger.warning(
                _unknown(component_id), location=self.get_location(), type="atomkb", subtype="ref"
            )
            return [nodes.literal(text, component_id)], []
        ref = addnodes.pending_xref(
            "",
            refdomain="std",
            reftype="doc",
            reftarget="/" + view.url_of(component_id),
            refexplicit=True,
            refwarn=True,
        )
        ref += nodes.literal(title, title, classes=["xref", "kb-component"])
        return [ref], []


class _CatalogDirective(SphinxDirective):
    def parse_rst(self, lines: list[str]) -> list[nodes.Node]:
        """Parse generated reST in place; it may use the role and other directives."""
        _note_catalog_use(self.env)
        source, _ = self.get_source_info()
        container = nodes.container()
        self.state.nested_parse(StringList(lines, source=source), self.content_offset, container)
        return list(container.children)


class ComponentCard(_CatalogDirective):
    """A card linking to a component: name, summary, level, kind and tasks."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        component_id = self.arguments[0]
        view = catalog_view()
        if component_id not in view.by_id:
            _note_catalog_use(self.env)
            logger.warning(
                _unknown(component_id), location=self.get_location(), type="atomkb", subtype="ref"
            )
            return []
        meta = view.by_id[component_id].meta
        badges = [f":bdg-primary:`{meta.level}`", f":bdg-secondary:`{meta.kind}`"]
        badges += [f":bdg-info:`{task}`" for task in meta.tasks]
        return self.parse_rst(
            [
                f".. card:: {meta.name}",
                f"   :link: /{view.url_of(component_id)}",
                "   :link-type: doc",
                "   :class-card: kb-component-card",
                "",
                f"   ``{meta.id}`` — {rst_text(meta.summary)}",
                "",
                "   " + " ".join(badges),
            ]
        )


class CatalogTable(_CatalogDirective):
    """A table of the components matching the options, optionally with a filter bar."""

    option_spec: ClassVar[dict[str, Any]] = {
        "task": directives.unchanged,
        "level": directives.unchanged,
        "kind": directives.unchanged,
        "tag": directives.unchanged,
        "filter": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        criteria = {key: self.options.get(key) for key in ("task", "level", "kind", "tag")}
        for key, value in criteria.items():
            vocabulary = VOCABULARIES[
                {"task": "tasks", "level": "levels", "kind": "kinds", "tag": "tags"}[key]
            ]
            if value is not None and value not in vocabulary:
                logger.warning(
                    f"catalog-table: {key} {value!r} is unknown; expected one of "
                    f"{', '.join(sorted(vocabulary))}",
                    location=self.get_location(),
                    type="atomkb",
                    subtype="ref",
                )
                return []
        records = filter_records(catalog_view().records, **criteria)
        if not records:
            return self.parse_rst(["*No component matches yet.*"])
        lines = [
            ".. list-table::",
            "   :header-rows: 1",
            "   :class: kb-catalog-table" + (" kb-filterable" if "filter" in self.options else ""),
            "",
        ]
        for cells in [["id", "level", "kind", "tasks", "tags", "summary"]] + [
            [
                f":component:`{r.id}`",
                r.meta.level,
                r.meta.kind,
                ", ".join(r.meta.tasks),
                ", ".join(r.meta.tags),
                rst_text(r.meta.summary),
            ]
            for r in records
        ]:
            for position, cell in enumerate(cells):
                lines.append(("   * - " if position == 0 else "     - ") + (cell or " "))
        return self.parse_rst(lines)


class CatalogSchema(_CatalogDirective):
    """The metadata fields of ``@component(...)``, from the pydantic model itself."""

    def run(self) -> list[nodes.Node]:
        lines: list[str] = []
        for model, title in ((ComponentMeta, "component"), (DatasetInfo, "dataset")):
            schema = model.model_json_schema()
            required = set(schema.get("required", []))
            lines += [
                ".. list-table::",
                "   :header-rows: 1",
                f"   :class: kb-schema kb-schema-{title}",
                "   :widths: 18 27 15 40",
                "",
                "   * - field",
                "     - type",
                "     - default",
                "     - meaning",
            ]
            for name, spec in schema["properties"].items():
                default = "required" if name in required else repr(spec.get("default"))
                lines += [
                    f"   * - ``{name}``",
                    f"     - {_type_text(spec)}",
                    f"     - ``{default}``" if default != "required" else "     - required",
                    f"     - {_field_meaning(name, spec)}",
                ]
            lines.append("")
        return self.parse_rst(lines)


def _type_text(spec: dict[str, Any]) -> str:
    if "enum" in spec:
        return " | ".join(f"``{v}``" for v in spec["enum"])
    if "const" in spec:
        return f"``{spec['const']}``"
    if "anyOf" in spec:
        return " or ".join(_type_text(option) for option in spec["anyOf"])
    if "$ref" in spec:
        return spec["$ref"].rsplit("/", 1)[-1]
    if spec.get("type") == "array":
        return f"list of {_type_text(spec.get('items', {}))}"
    if spec.get("type") == "object":
        return "mapping of parameter name to a range (int, float or categorical)"
    text = spec.get("type", "any")
    if "pattern" in spec:
        text += f" matching ``{spec['pattern']}``"
    if "maxLength" in spec:
        text += f", at most {spec['maxLength']} characters"
    return text


_VOCABULARY_FIELDS = {
    "tags": "tags",
    "capabilities": "capabilities",
    "tasks": "tasks",
    "level": "levels",
    "kind": "kinds",
    "maturity": "maturities",
}


def _field_meaning(name: str, spec: dict[str, Any]) -> str:
    text = spec.get("description", "")
    if name in _VOCABULARY_FIELDS:
        text += f" Terms of the ``{_VOCABULARY_FIELDS[name]}`` vocabulary."
    return text.strip() or " "


class CatalogVocabulary(_CatalogDirective):
    """One controlled vocabulary (tasks, levels, kinds, tags, capabilities, maturities)."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        if name not in VOCABULARIES:
            logger.warning(
                f"catalog-vocabulary: unknown vocabulary {name!r}; expected one of "
                f"{', '.join(VOCABULARIES)}",
                location=self.get_location(),
                type="atomkb",
                subtype="ref",
            )
            return []
        lines = [
            ".. list-table::",
            "   :header-rows: 1",
            f"   :class: kb-vocabulary kb-vocabulary-{name}",
            "   :widths: 25 75",
            "",
            "   * - term",
            "     - meaning",
        ]
        for term, meaning in VOCABULARIES[name].items():
            lines += [f"   * - ``{term}``", f"     - {meaning}"]
        return self.parse_rst(lines)


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, "kb_catalog_docs", set()).discard(docname)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    if not hasattr(env, "kb_catalog_docs"):
        env.kb_catalog_docs = set()
    env.kb_catalog_docs |= getattr(other, "kb_catalog_docs", set()) & set(docnames)


def _outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Re-read documents that embed catalog content when the catalog changed."""
    fingerprint = catalog_view().fingerprint
    if getattr(env, "kb_catalog_fingerprint", None) == fingerprint:
        return []
    env.kb_catalog_fingerprint = fingerprint
    return sorted(getattr(env, "kb_catalog_docs", set()) & set(env.found_docs))


def register(app: Sphinx) -> None:
    app.add_role("component", ComponentRole())
    app.add_directive("component-card", ComponentCard)
    app.add_directive("catalog-table", CatalogTable)
    app.add_directive("catalog-schema", CatalogSchema)
    app.add_directive("catalog-vocabulary", CatalogVocabulary)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _outdated)
