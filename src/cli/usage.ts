/** Each command's usage text: loaded without the command itself, for `kestrel --help` and errors. */

export const parseUsage = `kestrel parse 'CONDITION' [--json] [--ranges]

Parses one Falco condition and prints its syntax tree, or the syntax error with its
position. Exit status 1 on a syntax error.
  --json     print the tree as JSON
  --ranges   keep source ranges (offset, line, column) in the JSON`;

export const validateUsage = `kestrel validate -r PATH... [--json] [--no-warnings]

Loads rules files (files, directories in name order, globs) as Falco does, stacked in
the order given, and reports every error and warning with its code and position.
Exit status 1 when any file has an error.
  -r, --rules PATH   rules file, directory or glob (repeatable; bare paths work too)
  --json             Falco's validation JSON ({"falco_load_results": [...]})
  --no-warnings      print errors only`;

export const describeUsage = `kestrel describe -r PATH... [--json] [RULE]
       kestrel describe -r PATH... --code [--json] [--rule-matching first|all] [EVENT_TYPE]

Describes the loaded rules (all, or the one named): expanded condition, event types,
condition and output fields, macros and lists used, tags, priority, source, enabled.
The JSON follows Falco's -L output ({"rules": [{"info": ..., "details": ...}], ...}).
With --code, prints instead the JavaScript generated for each event type (or the one
named): the program the engine runs for events of that type, with a header naming the
rules it tries in order. Types whose programs are identical are printed together.
  -r, --rules PATH   rules file, directory or glob (repeatable)
  --code             generated code per event type
  --rule-matching M  with --code: first (Falco's default) or all
  --json             JSON output`;

export const replayUsage = `kestrel replay -r RULES... CAPTURE...   |   kestrel replay --filter 'CONDITION' CAPTURE...

Replays JSONL captures (files, directories, globs, gzipped, '-' for stdin) against Falco
rules and prints alerts in event order; a summary goes to stderr.
  -r, --rules PATH       rules file, directory or glob (repeatable)
  --filter CONDITION     print the events matching one bare condition (no rules file)
  -o KEY=VALUE           Falco options: json_output, time_format_iso_8601,
                         json_include_output_property, json_include_tags_property,
                         priority, rule_matching (first|all)
  --json                 JSON alerts (json_output=true); with --filter: matching events as JSON
  --iso8601              ISO 8601 times (time_format_iso_8601=true)
  -p FORMAT              append FORMAT to every rule output; with --filter: print FORMAT per event
  -t TAG / -T TAG        only rules with TAG / skip rules with TAG (repeatable)
  -D SUBSTRING           disable rules whose name contains SUBSTRING (repeatable)
  --min-priority P       skip rules below priority P
  --live-event-set       skip the high-volume I/O events (read, write, ...) a live Falco's
                         driver does not send without -A; by default every event is
                         evaluated, as Falco does with a capture file
  -A                     with --live-event-set: a live Falco run with -A (every event)
  --no-suggested-output  do not append the container plugin's suggested fields
                         (container_id=… k8s_ns_name=…) to outputs, as Falco does by default
  --strict               stop at the first bad line (exit status 1)
  --quiet                no summary`;

export const fieldsUsage = `kestrel fields [--json] [-r PATH... --used] [--sysdig-format]

Lists the syscall-source fields (name, type, flags, description), or with -r and --used
only the fields a rule set reads (conditions and outputs).
  -r, --rules PATH   rules file, directory or glob (repeatable)
  --used             only the fields the rules read
  --json             JSON output
  --sysdig-format    print the sysdig -p string that converts a scap capture into JSONL
                     events with exactly these fields:
                       sysdig -r CAPTURE.scap -j -p "$(kestrel fields -r RULES --used --sysdig-format)"`;

export const profileUsage = `kestrel profile -r RULES... CAPTURE... [--baseline RULES...] [--json]

Benchmarks a rule set on captures: for each rule, the events it was evaluated on, how many it
matched, total and mean time per evaluation and its share of the run, most expensive first;
plus events/s for the whole set and the overhead of measuring.
  -r, --rules PATH      rules file, directory or glob (repeatable)
  --baseline PATH       a second rule set (repeatable) run on the same events, shown side by
                        side with the difference per rule: what did my change cost?
  --json                JSON output`;

export const testUsage = `kestrel test [PATH...] [-r RULES...] [--json] [--reporter junit] [--output FILE]

Runs rule tests written in YAML (files named *.kestrel-test.yaml; PATH may be files,
directories or globs; default: every such file below the current directory). Exit status 1
when a test fails or a test file is invalid.
  -r, --rules PATH    rules to test against, instead of each file's 'rules:'
  --json              machine-readable results
  --reporter junit    JUnit XML (to stdout, or to --output)
  --output FILE       write the report to FILE
  --coverage          after the report, a coverage table: per rule, fired by a test, checked
                      not firing, and its condition's checks seen true / false / both
  --coverage-json F   coverage as JSON to F
  --lcov F            coverage as LCOV to F (rules as functions, checks as branches, by line)

event-generator suites (\`event-generator suite test\` YAML, told apart by their content) run
on a simulated host against the rules given with -r:
  --report-format F   text|json|yaml: event-generator's report instead of kestrel's; the exit
                      status is then event-generator's (1 only when a file does not load)
  -o rule_matching=M  first (default) or all
  --arch ARCH         the simulated machine: amd64 (default; also x86_64) or arm64 (aarch64);
                      tests whose runIf is false on it are skipped
  --dump-events FILE  the synthesized events of every test, as JSONL`;

export const convertUsage = `kestrel convert CAPTURE.scap [-o FILE.jsonl] [-r RULES... | --fields F,...]

Converts a scap capture (file or - for stdin, gzipped or not) into a JSONL capture that
kestrel replays: one JSON object per event, every event, with the fields the rules read
(by default the bundled rules/), computed as kestrel computes them on the scap itself.
  -o, --output FILE   write to FILE instead of standard output
  -r, --rules PATH    the fields these rules read (file, directory or glob; repeatable)
  --fields F,...      exactly these fields (plus evt.num, evt.rawtime, evt.type, evt.dir)`;
