"""Social Councils content rules and generated pages.

Plain Python over text, paths and HTML. Nothing here imports MkDocs: the hooks in
``hooks/`` and the commands in ``scripts/`` are thin doors onto these modules, so the
checks outlive any one site engine.
"""
