"""Private helpers of ``kb scaffold``, ``kb templates`` and ``kb update``.

``recipes``: the templates and the catalog components each uses; ``repository``: kb's
local git repository of template versions; ``answers``: validation of the answers.
Copier is imported only by the commands in :mod:`cli.scaffold`.
"""
