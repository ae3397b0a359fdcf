"""The workspace's domains, as the boundary checks see them: the model's one domain discovery."""

from __future__ import annotations

from slicegen.model.domains import Domain, DomainMap, discover, module_of_dir

__all__ = ["Domain", "DomainMap", "discover", "module_of_dir"]
