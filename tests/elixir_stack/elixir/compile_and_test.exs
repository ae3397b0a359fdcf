# Usage: elixir compile_and_test.exs STAND_INS LIB_FILE... -- TEST_FILE...
# Compiles every generated module against the stand-ins, then runs the generated tests.
[stand_ins | rest] = System.argv()
{libs, ["--" | tests]} = Enum.split_while(rest, &(&1 != "--"))
Code.require_file(stand_ins)

{:ok, modules, warnings} = Kernel.ParallelCompiler.compile(libs, return_diagnostics: false)

IO.puts("compiled #{length(modules)} modules, #{length(warnings)} warnings")

ExUnit.start(autorun: false, exclude: [:integration])
Enum.each(tests, &Code.require_file/1)
%{failures: failures, total: total} = ExUnit.run()
IO.puts("ran #{total} tests, #{failures} failures")
System.halt(if failures == 0 and warnings == [], do: 0, else: 1)
