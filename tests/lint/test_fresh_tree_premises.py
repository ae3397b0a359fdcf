

MODULE = "from dataclasses import dataclass\n\n\n@dataclass\nclass {name}:\n    id: str\n"


def test_a_modules_folder_names_no_app_and_its_modules_are_checked(tmp_path: Path) -> None:
    """``modules/<module>/`` at the top: ``modules`` is the container, not the app, so the
    boundary rules see the modules as domains: one importing another's internals is SG501."""
    files: Files = {
        "modules/__init__.py": "",
        "modules/crud/__init__.py": "",
        "modules/crud/interface.py": MODULE.format(name="GetCrudData"),
        "modules/crud/commands/__init__.py": "",
        "modules/crud/commands/purge_records.py": MODULE.format(name="PurgeRecords"),
        "modules/billing/__init__.py": "",
        "modules/billing/commands/__init__.py": "",
        "modules/billing/commands/charge_card.py": (
            "from modules.crud.interface import GetCrudData\n\n" + MODULE.format(name="ChargeCard")
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    assert _found(root, "SG501") == [("SG501", "modules/billing/commands/charge_card.py")]


def test_contexts_in_a_src_package_are_the_domains_and_its_scripts_none(tmp_path: Path) -> None:
    """``src/todo/contexts/<ctx>/``: each context is a domain (one using another's internals is
    SG501); ``src/todo/scripts/`` beside the container is the app's, no domain (its seed script
    may use the contexts)."""
    files: Files = {
        "src/todo/__init__.py": "",
        "src/todo/contexts/__init__.py": "",
        "src/todo/contexts/tasks/__init__.py": "",
        "src/todo/contexts/tasks/application/__init__.py": "",
        "src/todo/contexts/tasks/application/dto.py": MODULE.format(name="TaskInput"),
        "src/todo/contexts/users/__init__.py": "",
        "src/todo/contexts/users/application/__init__.py": "",
        "src/todo/contexts/users/application/lookup.py": (
            "from todo.contexts.tasks.application.dto import TaskInput\n\n"
            + MODULE.format(name="UserLookup")
        ),
        "src/todo/scripts/__init__.py": "",
        "src/todo/scripts/seed.py": "from todo.contexts.tasks.application.dto import TaskInput\n",
    }
    root = tmp_path / "repo"
    write(root, files)
    assert _found(root, "SG501") == [("SG501", "src/todo/contexts/users/application/lookup.py")]
