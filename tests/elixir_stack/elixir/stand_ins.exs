# Stand-ins for the dependencies of a generated umbrella (no deps are fetched in tests).
# Each one offers only the surface the generated code uses: enough to compile every module
# and to run the generated ExUnit tests, which never start an event store or a database.

defprotocol Jason.Encoder do
  def encode(value, opts)
end

defimpl Jason.Encoder, for: Any do
  defmacro __deriving__(module, _struct, _opts) do
    quote do
      defimpl Jason.Encoder, for: unquote(module) do
        def encode(value, _opts), do: inspect(Map.from_struct(value))
      end
    end
  end

  def encode(value, _opts), do: raise(ArgumentError, "not derived: #{inspect(value)}")
end

defmodule Jason do
  def encode(value), do: {:ok, Jason.Encoder.encode(value, [])}

  # Not JSON, but what matters of it here: keys come back as strings, or atoms if asked.
  def encode!(value), do: :erlang.term_to_binary(keys(value, &to_string/1))

  def decode!(binary, opts \\ []) do
    key = if opts[:keys] == :atoms, do: &String.to_atom/1, else: & &1
    binary |> :erlang.binary_to_term() |> keys(key)
  end

  defp keys(%_{} = struct, key), do: struct |> Map.from_struct() |> keys(key)
  defp keys(%{} = map, key), do: Map.new(map, fn {k, v} -> {key.(k), keys(v, key)} end)
  defp keys(value, _key), do: value
end

defmodule Decimal do
  defstruct [:text]
  @type t :: %__MODULE__{}
  def new(text), do: %__MODULE__{text: text}
end

defprotocol Commanded.Event.Upcaster do
  @fallback_to_any true
  def upcast(event, metadata)
end

defimpl Commanded.Event.Upcaster, for: Any do
  def upcast(event, _metadata), do: event
end

defmodule Commanded.Application do
  defmacro __using__(_opts) do
    quote do
      import Commanded.Application, only: [router: 1]
      def dispatch(command, opts \\ []), do: {:dispatched, command, opts}
    end
  end

  defmacro router(_module), do: nil
end

defmodule Commanded.Middleware do
  @callback before_dispatch(struct()) :: struct()
  @callback after_dispatch(struct()) :: struct()
  @callback after_failure(struct()) :: struct()
end

defmodule Commanded.Middleware.Pipeline do
  # As Commanded's: the fields a middleware reads, respond/2 (unless set) and halt/1.
  defstruct [:application, :causation_id, :correlation_id, :command, :command_uuid] ++
              [:consistency, :identity, :identity_prefix, :metadata, :response] ++
              [assigns: %{}, halted: false]

  def respond(%__MODULE__{response: nil} = pipeline, response), do: %{pipeline | response: response}
  def respond(%__MODULE__{} = pipeline, _response), do: pipeline
  def halt(%__MODULE__{} = pipeline), do: respond(%{pipeline | halted: true}, {:error, :halted})

  def assign_metadata(%__MODULE__{metadata: metadata} = pipeline, key, value),
    do: %{pipeline | metadata: Map.put(metadata, key, value)}
end

defmodule Commanded.Aggregates.ExecutionContext do
  # As Commanded's: what `before_execute` is given beside the aggregate's state.
  defstruct [:command, :causation_id, :correlation_id, :handler, :function, :before_execute] ++
              [retry_attempts: 0, metadata: %{}]

  @type t :: %__MODULE__{}
end

defmodule Commanded.Commands.Router do
  defmacro __using__(_opts) do
    quote do
      import Commanded.Commands.Router, only: [dispatch: 2, identify: 2, middleware: 1]
      Module.register_attribute(__MODULE__, :routes, accumulate: true)
      @before_compile Commanded.Commands.Router
    end
  end

  defmacro __before_compile__(_env) do
    quote do
      def __routes__, do: Enum.reverse(@routes)
    end
  end

  defmacro dispatch(command, opts), do: quote(do: @routes({unquote(command), unquote(opts)}))
  defmacro identify(_aggregate, _opts), do: nil
  defmacro middleware(_module), do: nil
end

defmodule Commanded.EventStore.TypeProvider do
  @callback to_string(struct()) :: String.t()
  @callback to_struct(String.t()) :: struct()
end

defmodule Commanded.Serialization.ModuleNameTypeProvider do
  def to_string(%module{}), do: Atom.to_string(module)
  def to_struct(type), do: type |> String.to_existing_atom() |> struct()
end

defprotocol Commanded.Serialization.JsonDecoder do
  @fallback_to_any true
  def decode(data)
end

defimpl Commanded.Serialization.JsonDecoder, for: Any do
  def decode(data), do: data
end

defmodule EventStore do
  defmacro __using__(_opts), do: nil
end

defmodule EventStore.Serializer do
  @callback serialize(term()) :: binary()
  @callback deserialize(binary(), keyword()) :: term()
end

defmodule Commanded.Event.Handler do
  @callback handle(struct(), map()) :: :ok | {:error, term()}
  @callback error(term(), struct(), map()) :: term()
  @callback after_start(term()) :: :ok | {:stop, term()}
  @optional_callbacks error: 3, after_start: 1
  defmacro __using__(_opts), do: quote(do: @behaviour(Commanded.Event.Handler))
end

defmodule Commanded.UUID do
  def uuid4, do: "00000000-0000-4000-8000-000000000000"

  def binary_to_string!(<<a::32, b::16, c::16, d::16, e::48>>) do
    Enum.map_join([<<a::32>>, <<b::16>>, <<c::16>>, <<d::16>>, <<e::48>>], "-", fn part ->
      Base.encode16(part, case: :lower)
    end)
  end
end

defmodule UUID do
  def uuid4, do: "00000000-0000-4000-8000-000000000001"
end

defmodule Commanded.EventStore do
  def stream_forward(_application, _stream_uuid, _start_version \\ 0, _batch_size \\ 1_000),
    do: {:error, :stream_not_found}
  def append_to_stream(_application, _stream_uuid, _expected_version, _events), do: :ok
end

defmodule Commanded.Event.Mapper do
  def map_to_event_data(events, _fields), do: events
end

defmodule Ecto.Multi do
  def insert(multi, name, struct, opts), do: [{name, struct, opts} | multi]
end

defmodule Ecto.Adapters.SQL.Sandbox do
  def mode(_repo, _mode), do: :ok
  def start_owner!(_repo, _opts), do: self()
  def stop_owner(_pid), do: :ok
end

defmodule ExESDB.Commanded.EventTypeMapper do
  @callback to_event_type(module()) :: String.t()
end

defmodule Commanded.Projections.Ecto do
  @callback after_update(struct(), map(), map()) :: :ok | {:error, term()}
  @optional_callbacks after_update: 3

  defmacro __using__(_opts) do
    quote do
      @behaviour Commanded.Projections.Ecto
      import Commanded.Projections.Ecto, only: [project: 3]
    end
  end

  defmacro project(event, metadata, fun) do
    quote do
      def __project__(unquote(event), unquote(metadata)), do: unquote(fun).([])
    end
  end
end

defmodule Ecto.Repo do
  defmacro __using__(_opts) do
    quote do
      def one(_query), do: nil
      def insert_all(_source, entries, _opts), do: {length(entries), nil}
    end
  end
end

defmodule Ecto.Query do
  # The pinned values, so that the variables they read count as used.
  defmacro from(_binding, opts) do
    {_ast, pinned} =
      Macro.prewalk(opts, [], fn
        {:^, _, [expr]} = node, acc -> {node, [expr | acc]}
        node, acc -> {node, acc}
      end)

    quote(do: {:query, unquote(pinned)})
  end
end

defmodule Ecto.Schema do
  defmacro __using__(_opts) do
    quote do
      import Ecto.Schema, only: [schema: 2, field: 2, timestamps: 0]
      Module.register_attribute(__MODULE__, :schema_fields, accumulate: true)
    end
  end

  defmacro schema(_table, do: block) do
    quote do
      unquote(block)
      defstruct [elem(@primary_key, 0) | Enum.reverse(@schema_fields)]
    end
  end

  defmacro field(name, _type), do: quote(do: @schema_fields(unquote(name)))

  defmacro timestamps do
    quote do
      @schema_fields :inserted_at
      @schema_fields :updated_at
    end
  end
end

defmodule Phoenix.PubSub do
  def subscribe(_pubsub, _topic), do: :ok
  def broadcast(_pubsub, _topic, _message), do: :ok
end

defmodule Swarm do
  def register_name(_name, _pid), do: :yes
  def whereis_name(_name), do: :undefined
end

defmodule Ecto.Migration do
  defmacro __using__(_opts), do: quote(do: import(Ecto.Migration))
  defmacro create(table, do: block), do: quote(do: {unquote(table), unquote(block)})
  defmacro alter(table, do: block), do: quote(do: {unquote(table), unquote(block)})
  def table(name, opts \\ []), do: {name, opts}
  def add(name, type, opts \\ []), do: {name, type, opts}
  def timestamps(opts \\ []), do: opts
end
