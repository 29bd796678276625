"""The team platform as processes on loopback, without Docker: ``make platform``.

Debian's nginx with the very template Compose uses (``infra/nginx/templates``), a
throwaway PostgreSQL cluster, ``mlflow server``, ``kb serve`` standing in for
Meilisearch's search routes (no Meilisearch server installs here) and optuna-dashboard.
The tests start it too. Standard library only, plus the programs it starts.
"""

from infra.localstack.stack import Stack, StackError, render_templates, unavailable_reason

__all__ = ["Stack", "StackError", "render_templates", "unavailable_reason"]
