"""What `--help` says about each command, for a user who has never read the code.

Paragraphs are separated by blank lines and rewrapped to the terminal's width
(`cli._Paragraphs`); an indented paragraph (examples) is shown as written.
"""

from __future__ import annotations

from .tools import bench as bench_tool

DESCRIPTION = """\
Find the people, organisations, countries and laws named in news pages in
English, French and Spanish, one entity per real-world thing across spellings
and languages, and write them to four Parquet tables (documents, articles,
mentions, entities) for pandas, DuckDB or the notebook in notebooks/.

Start with `run`, then `audit` to check the entities in your browser and
`curate` to correct them. Each command has its own help: %(prog)s run
--help. A default shown as <project>/… is inside this project's folder
(the one holding README.md), wherever you run the command from.

A problem the program expects (a missing file, an invalid settings file,
Ctrl-C) is one line starting with "error:" and exit status 2; a Python
traceback is a bug in the pipeline: please report it."""

EXAMPLES = """\
examples:
  %(prog)s run                     # <project>/corpus/pages into <project>/outputs
  %(prog)s run my-pages --out my-tables
  %(prog)s audit                   # then open outputs/audit/index.html
  %(prog)s show "Amnesty International\""""

RUN = """\
Read text files and write the entities found in them to four Parquet tables
(documents, articles, mentions, entities) and run.json in the output folder.

INPUT is a file or a folder; folders are searched for *.txt and *.txt.gz
files (in any case: KENYA.TXT too), subfolders included. Articles start at bullet title lines (an indented
"• Title"); a file without any is one article. English, French and Spanish
articles go through entity extraction; the others keep a row with their
status and language.

Each article's results are kept in a cache, so a rerun only processes new or
changed articles. The previous tables are replaced only once the new ones are
complete, and one run at a time writes to a folder."""

EVAL = """\
Measure how accurate the pipeline is. Runs the pipeline on the pages of the
entities annotated by hand (--gold; by default <project>/corpus/pages and its
gold) and scores what it finds: precision, recall and F1 per type and per
language, how well spellings were joined into one entity, and every false
positive and miss. Then does the same for each held-out set in
<project>/corpus/eval/, scores public NER benchmarks, and shows every score
next to spaCy's models alone (raw spaCy), with a table of what each family of
rules is worth.

The pipeline's runs here apply no curation file: eval measures the rules, not
the corrections made for a corpus (--tables scores the tables of a run of yours
instead, curated or not). The whole takes a few minutes; --limit 50 and
--no-ablation make it quicker. A set marked blind shows its summary figures
only."""

BENCH = f"""\
Measure speed and memory, in parts (--parts picks them). sample: corpora of
{", ".join(f"{s}×" for s in bench_tool.SIZES)} the sample page (distinct articles), run with one and with
two processes, and the same articles through spaCy's models alone, then the
{bench_tool.WARM_SIZE}× corpus rerun from its cache: words per second, the ratios, peak memory and
time per stage. archive, merge, long: how cost grows with an archive's new
names and with one long article. report: the audit report of a
{bench_tool.REPORT_ARTICLES:,}-article archive, its weight, then opened in headless Chromium
(time to first paint and to ready, bytes loaded). Prints markdown tables, also
written to --results.

Every measurement starts a fresh process, so the whole takes a while
(--large: about half an hour more on two cores); small sizes make a quick
check: --parts archive,long --archive-base 20 --archive-scales 1,2
--long-sentences 500 --long-parts 5. On a busy machine timings are noisy:
compare the ratios within one report; its last table says how much of the
CPU other processes took."""

AUDIT = """\
Write the audit report, <out>/audit/index.html, that opens in any browser,
offline; its data sits in a folder beside it (data-…/): copy or share the
audit/ folder whole. It lists every entity, most doubtful first, with each of
its mentions highlighted in its sentence, and lets you reject, retype, rename
or merge entities and detach single mentions; its Export YAML button
downloads your decisions for `curate apply`. It reads the tables a `run`
wrote."""

SHOW = """\
Print one entity from the tables of a run: its type, key, name, aliases and
counts, then every mention of it in its sentence, with the article's title,
language and offsets and what found it (a model or a rule).

ENTITY is an entity id, a key, a name or an alias; case, accents and
apostrophes do not matter. When several entities match, --type chooses."""

CURATE = """\
Correct the results. Decisions made in the audit report (reject, retype,
rename, merge, detach a mention) are exported as a YAML file: `curate check
FILE` validates it, `curate apply FILE` adds it to the curation file that
every run applies (<project>/models/curation.yaml unless a settings file names
another), and `curate list` prints the decisions in force. Then run again:
articles come from the cache, so it takes seconds."""

CURATE_APPLY = """\
Add the decisions in FILE, a YAML file exported from the audit report, to the
curation file. They are checked first, against the curation file and the
tables in --out: a conflict (a key both rejected and merged, a merge cycle, a
key that is no longer an entity) is refused with its file and line, and
nothing is written. Decisions already in force are skipped; the curation
file's comments and layout are kept. The next run applies them (seconds: the
articles come from the cache)."""

CURATE_CONFIG = (
    "settings file (TOML) whose `curation` names the curation file "
    "(without it: <project>/models/curation.yaml)"
)

FINGERPRINT = """\
For developers: show that a change to the code left the tables unchanged.
Runs the pipeline on the sample page and on a corpus 10× its size and prints
the SHA-256 of each of the four tables; with --expect, compares them with
hashes recorded earlier and exits with status 1 if any differs (make
fingerprint)."""
