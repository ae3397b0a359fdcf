# A fact policy of a generated domain run against real Commanded and EventStore (PostgreSQL),
# in a mix project that holds the generated modules (see tests/elixir_stack/test_policy_once_real.py).
# Usage: mix run policy_once_real.exs SCENARIO PROFILE_ID [ARG]; prints "recorded <n>" lines,
# one per fact: how many events the fact's command recorded in the profile's stream.
alias ReckonProfiles.CommandedApp
alias ReckonProfiles.Domain.EstablishProfile.CommandV1, as: Establish
alias ReckonProfiles.Domain.TagProfile.WhenAccountOpenedThenTagProfileV1, as: Policy
alias ReckonShared.Accounts.AccountOpenedFact, as: Fact

defmodule Rig do
  def start do
    {:ok, pid} = CommandedApp.start_link()
    Process.unlink(pid)
    pid
  end

  def stop(pid) do
    ref = Process.monitor(pid)
    Process.exit(pid, :kill)
    receive do: ({:DOWN, ^ref, _, _, _} -> :ok)
    # the named processes of the killed tree are gone before the app starts again
    Stream.repeatedly(fn -> Process.sleep(10) end)
    |> Enum.find(fn _ -> Enum.all?([CommandedApp, ReckonProfiles.EventStore], &(Process.whereis(&1) == nil)) end)
  end

  # The n-th fact about the account, with an id fixed by the profile and n.
  def fact(profile, n) do
    <<a::48, _::4, b::12, _::2, c::62>> = :erlang.md5("#{profile}/fact/#{n}")
    id = Commanded.UUID.binary_to_string!(<<a::48, 4::4, b::12, 2::2, c::62>>)
    Fact.new(profile, %{email: "p#{n}@example.com"}, %{fact_id: id, correlation_id: id})
  end

  def deliver(profile, n) do
    :ok = Policy.handle(fact(profile, n), %{topic: Fact.topic(), position: n})
  end

  # How many events each fact's command recorded, for facts `ns`.
  def recorded(profile, ns) do
    by_cause =
      CommandedApp
      |> Commanded.EventStore.stream_forward(profile)
      |> Enum.frequencies_by(& &1.causation_id)

    for n <- ns do
      # the policy's command id for the fact: what its events are recorded under
      id = command_id(fact(profile, n).fact_id)
      IO.puts("recorded #{n} #{Map.get(by_cause, id, 0)}")
    end
  end

  defp command_id(fact_id) do
    <<a::48, _::4, b::12, _::2, c::62>> = :erlang.md5("#{Policy.name()}/#{fact_id}")
    Commanded.UUID.binary_to_string!(<<a::48, 3::4, b::12, 2::2, c::62>>)
  end
end

[scenario, profile | rest] = System.argv()
app = Rig.start()

case scenario do
  "establish" ->
    :ok = CommandedApp.dispatch(%Establish{profile_id: profile})

  "later" ->
    # the fact, then `later` other facts about the same account, then the fact again
    later = String.to_integer(hd(rest))
    Rig.deliver(profile, 0)
    Enum.each(1..later, &Rig.deliver(profile, &1))
    Rig.deliver(profile, 0)
    Rig.recorded(profile, [0])

  "restart" ->
    # the command was recorded, the node stopped before the fact was acknowledged; `later`
    # other facts, then the restarted node is handed the fact again
    later = String.to_integer(hd(rest))
    Rig.deliver(profile, 0)
    Enum.each(1..later//1, &Rig.deliver(profile, &1))
    Rig.stop(app)
    Rig.start()
    Rig.deliver(profile, 0)
    Rig.recorded(profile, [0])

  "race" ->
    # each of `count` facts handed to 4 handler processes at the same instant
    count = String.to_integer(hd(rest))

    for n <- 1..count do
      1..4
      |> Enum.map(fn _ -> Task.async(fn -> Rig.deliver(profile, n) end) end)
      |> Task.await_many(30_000)
    end

    Rig.recorded(profile, 1..count)

  "node" ->
    # one of two nodes delivering the same facts: says it is ready (a file `go.<os pid>`), then
    # waits for the file `go` to appear
    [go, count] = rest
    File.touch!("#{go}.#{System.pid()}")
    Stream.repeatedly(fn -> Process.sleep(5) end) |> Enum.find(fn _ -> File.exists?(go) end)
    Enum.each(1..String.to_integer(count), &Rig.deliver(profile, &1))
    IO.puts("delivered")

  "count" ->
    Rig.recorded(profile, 1..String.to_integer(hd(rest)))
end
