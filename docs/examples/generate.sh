#!/bin/sh
# Regenerates the samples in this folder with the real commands (run from the repository root:
# sh docs/examples/generate.sh). A two-domain python workspace: accounts publishes a fact that a
# policy in profiles reacts to; a v2 of initialize_account comes in a later session.
set -eu
out="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sg() { slicegen "$@" >/dev/null; }
sg init "$work" --stack python --app shop
cd "$work"
sg new-domain accounts
sg new-domain profiles
sg add-slice accounts initialize_account -f email:str -f name:str -p summary
sg add-slice accounts activate_account -f activated_at:datetime
sg add-fact accounts account_activated
sg add-slice profiles establish_profile -f 'nickname:str?' -f 'interests:list[str]'
sg add-policy profiles establish_profile --on accounts:account_activated
# The team writes its executive summary; slicegen keeps it.
python3 - <<'PY'
from pathlib import Path
doc = Path("design_docs/accounts/event-storming.md")
text = doc.read_text()
start = text.index("_Describe the process")
end = text.index("_\n", start) + 2
summary = (
    "A visitor signs up with an email address and a name (initialize_account); once the\n"
    "address is confirmed the account is activated (activate_account), and profiles hears of\n"
    "it through the fact `accounts:facts:account_activated`.\n"
)
doc.write_text(text[:start] + summary + text[end:])
PY
sg storm --mermaid
sg add-version accounts initialize_account -f 'referral_code:str?'
sg storm
sg storm --export -o design.yaml
slicegen storm --check
cp design_docs/accounts/event-storming.md "$out/accounts-event-storming.md"
cp design_docs/profiles/event-storming.md "$out/profiles-event-storming.md"
cp design.yaml "$out/design.yaml"
