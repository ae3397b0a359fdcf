"""An Elixir app without contexts is one domain, and the events its aggregate applies are
judged where they are defined (several modules in one file, as Commanded's own examples keep
them); the aggregate's own struct, the first argument of ``apply``, is no event. Trees
written here."""

from __future__ import annotations

from pathlib import Path

from slicegen.model.discovery import infer_layout, walk

from .conftest import lint_json
from .trees import Files, write

MIX = (
    "defmodule Bank.MixProject do\n  use Mix.Project\n\n"
    '  def project, do: [app: :bank, version: "0.1.0"]\nend\n'
)
ACCOUNT = """\
defmodule Bank.OpenAccount do
  defstruct [:id, :owner]
end

defmodule Bank.AccountCreated do
  @derive Jason.Encoder
  defstruct [:id, :owner]
end

defmodule Bank.OwnerRenamed do
  @derive Jason.Encoder
  defstruct [:id, :owner]
end

defmodule Bank.Account do
  defstruct [:id, :owner]

  def execute(%Bank.Account{id: nil}, %Bank.OpenAccount{id: id, owner: owner}) do
    %Bank.AccountCreated{id: id, owner: owner}
  end

  def apply(%Bank.Account{} = account, %Bank.AccountCreated{id: id, owner: owner}) do
    %Bank.Account{account | id: id, owner: owner}
  end

  def apply(%Bank.Account{} = account, %Bank.OwnerRenamed{owner: owner}) do
    %Bank.Account{account | owner: owner}
  end
end
"""


def _codes(root: Path) -> list[tuple[str, str, int]]:
    _, found = lint_json(root, select=["SG101", "SG103"])
    return [(f["code"], f["path"], f["line"]) for f in found]


def test_an_app_without_contexts_judges_the_events_its_aggregate_applies(tmp_path: Path) -> None:
    write(tmp_path, {"mix.exs": MIX, "lib/bank/account.ex": ACCOUNT})
    assert [d.root for d in infer_layout(walk(tmp_path, []), None).domains] == ["lib/bank"]
    assert _codes(tmp_path) == [("SG101", "lib/bank/account.ex", 5)]  # not the aggregate


def test_a_mix_project_in_a_folder_of_the_repository_is_read_too(tmp_path: Path) -> None:
    write(tmp_path, {"ptah/mix.exs": MIX, "ptah/lib/bank/account.ex": ACCOUNT})
    assert _codes(tmp_path) == [("SG101", "ptah/lib/bank/account.ex", 5)]


def test_the_whole_app_gives_way_to_the_domains_its_folders_locate(tmp_path: Path) -> None:
    files: Files = {
        "mix.exs": MIX,
        "lib/bank/posts/commands/publish_post.ex": (
            "defmodule Bank.Posts.Commands.PublishPost do\n  defstruct [:id]\nend\n"
        ),
        "lib/bank/users/events/user_registered.ex": (
            "defmodule Bank.Users.Events.UserRegistered do\n  defstruct [:id]\nend\n"
        ),
    }
    write(tmp_path, files)
    roots = [d.root for d in infer_layout(walk(tmp_path, []), None).domains]
    assert roots == ["lib/bank/posts", "lib/bank/users"]
