# Usage: elixir policy_once.exs STAND_INS APP ID_FIELD POLICY TRIGGER PAD LIB_FILE...
# (env: PREFIX, the router's identity prefix; LATER, other events recorded after each delivery)
# Compiles a generated policy, its command and its trigger (event or fact) against the stand-ins
# and an event store that keeps, as Commanded does, a command's id as its events' causation id.
# The command's stream first holds PAD events of other commands. Then delivers one trigger twice
# and another once, printing the commands each stream holds and how many events each delivery read.
[stand_ins, app, id_field, policy, trigger, pad | libs] = System.argv()
Code.require_file(stand_ins)
Code.compiler_options(ignore_module_conflict: true)
{:ok, _} = Agent.start_link(fn -> %{} end, name: :streams)
{:ok, _} = Agent.start_link(fn -> 0 end, name: :reads)

defmodule Commanded.EventStore do
  # As Commanded's: the events from `start_version` on (stream versions count from 1), read
  # lazily; each event taken from the stream counts as read.
  def stream_forward(_application, stream, start_version \\ 0, _batch_size \\ 1_000) do
    case Agent.get(:streams, &Map.get(&1, stream)) do
      nil ->
        {:error, :stream_not_found}

      events ->
        events
        |> Enum.reverse()
        |> Enum.with_index(1)
        |> Enum.drop(max(start_version - 1, 0))
        |> Stream.map(fn {event, version} ->
          Agent.update(:reads, &(&1 + 1))
          Map.merge(%{metadata: %{}, stream_version: version}, event)
        end)
    end
  end
end

# A stream's first event (a trigger or a command's) finds PAD events of other commands before it.
# With PREFIX set, a stream is named as a router with `identify ..., prefix: PREFIX` names it.
:persistent_term.put(:pad, String.to_integer(pad))

defmodule Streams do
  def append(stream, event) do
    others = for n <- :persistent_term.get(:pad)..1//-1, do: %{causation_id: "other-#{n}", data: nil}
    Agent.get_and_update(:streams, fn streams ->
      events = [event | Map.get(streams, stream, others)]
      {length(events), Map.put(streams, stream, events)}
    end)
  end
end

# As a router identifying the aggregate by ID_FIELD (with PREFIX as its `prefix:`) and sending the
# command through the domain's PolicyOnce does: the middleware first, then, in the aggregate's
# process, `before_execute`; the command's event appended unless it refused; `after_failure`.
Code.eval_string("""
defmodule #{app}.CommandedApp do
  alias Commanded.Aggregates.ExecutionContext
  alias Commanded.Middleware.Pipeline

  def dispatch(command, opts) do
    prefix = System.get_env("PREFIX", "")
    pipeline = %Pipeline{application: __MODULE__, command: command, identity: :#{id_field},
      identity_prefix: if(prefix == "", do: nil, else: prefix),
      command_uuid: Keyword.fetch!(opts, :command_uuid), metadata: Keyword.get(opts, :metadata, %{})}
    pipeline = #{app}.PolicyOnce.before_dispatch(pipeline)
    context = %ExecutionContext{command: command, causation_id: pipeline.command_uuid,
      metadata: pipeline.metadata}
    case #{app}.PolicyOnce.before_execute(nil, context) do
      :ok ->
        event = %{causation_id: pipeline.command_uuid, data: command, metadata: pipeline.metadata}
        Streams.append(prefix <> Map.fetch!(command, :#{id_field}), event)
        :ok
      {:error, error} ->
        pipeline = %{pipeline | response: {:error, error}, assigns: %{error: error}}
        #{app}.PolicyOnce.after_failure(pipeline).response
    end
  end
end
""")

{:ok, _modules, []} = Kernel.ParallelCompiler.compile(libs, return_diagnostics: false)
[policy, trigger] = Enum.map([policy, trigger], &Module.concat([&1]))

# Each trigger is recorded (once) in the stream of the command it leads to, as an event on its
# own aggregate is: its metadata names that stream and the trigger's version in it.
Enum.reduce(["11111111-1111-4111-8111-111111111111", "11111111-1111-4111-8111-111111111111",
             "22222222-2222-4222-8222-222222222222"], %{}, fn cause, delivered ->
  fields = for k <- Map.keys(trigger.__struct__()) -- [:__struct__], into: %{}, do: {k, "#{k}-1"}
  event = struct(trigger, Map.put(fields, :fact_id, cause))
  stream = System.get_env("PREFIX", "") <> Map.fetch!(policy.to_command(event), String.to_atom(id_field))
  metadata = Map.get_lazy(delivered, cause, fn ->
    version = Streams.append(stream, %{causation_id: "trigger-#{cause}", data: nil})
    %{event_id: cause, correlation_id: "c-1", stream_id: stream, stream_version: version}
  end)
  Agent.update(:reads, fn _ -> 0 end)
  :ok = policy.handle(event, metadata)
  causes = Agent.get(:streams, fn s -> Enum.map(s, fn {_, es} -> Enum.map(es, & &1.causation_id) end) end)
  causes = Enum.map(causes, fn ids -> Enum.reject(ids, &String.starts_with?(&1, ["other-", "trigger-"])) end)
  IO.puts("commands #{inspect(Enum.map(causes, &length/1))} ids #{inspect(causes |> List.flatten() |> Enum.uniq() |> length())}")
  IO.puts("read #{Agent.get(:reads, & &1)}")
  # With LATER set, that many other commands' events reach the stream before the next delivery.
  for n <- 1..String.to_integer(System.get_env("LATER", "0"))//1,
    do: Streams.append(stream, %{causation_id: "other-later-#{n}", data: nil})
  Map.put(delivered, cause, metadata)
end)
