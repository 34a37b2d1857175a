"""Search benchmark: 100,000 articles and 1,000,000 requests, SQLite FTS5 and PostgreSQL.

    .venv/bin/python benchmarks/search_bench.py               # full scale (takes a while)
    .venv/bin/python benchmarks/search_bench.py --scale 0.02  # quick run
    .venv/bin/python benchmarks/search_bench.py --reuse       # query data loaded before

Synthetic Chinese text is drawn from jieba's own dictionary with its word frequencies, so term
frequencies follow real Chinese (a few very common words, a long tail). Requests carry a number
(GZ + date + sequence), a mobile phone, a customer (person or company) and a description.
Every document is tokenised once and written to both databases through kefu.search, and its
original text also goes to a plain table so that, in the same run on the same data, the
baseline a help desk typically uses (``WHERE content LIKE '%…%' ORDER BY id DESC LIMIT 10``)
can be timed against the search.

Timings are of ``kefu.search.index.search`` end to end (plan, query, snippets); p50/p95 over
the query set after a warm-up.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import multiprocessing
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kefu.search.backends import PreparedDocument  # noqa: E402  (pure modules, no Django)
from kefu.search.index import prepare  # noqa: E402
from kefu.search.types import Document, Field, Weight, request_document  # noqa: E402

ARTICLES = 100_000
REQUESTS = 1_000_000
CHUNK = 5_000
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰华红建国志文斌辉玲梅鑫宇浩然晨阳雪琳"
COMPANY_SUFFIX = ["供电公司", "科技有限公司", "电力局", "信息中心", "营业厅", "分公司", "研究院"]
CITIES = ["广州", "深圳", "佛山", "东莞", "珠海", "汕头", "湛江", "惠州", "江门", "肇庆", "清远"]


def ensure_pg_database(url: str) -> None:
    """Create the benchmark's PostgreSQL database when it does not exist yet."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    admin = psycopg.connect(
        host=config["HOST"],
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    with admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if found.fetchone() is None:
            admin.execute(f'CREATE DATABASE "{config["NAME"]}"')


def setup_django(sqlite_path: Path, pg_url: str | None) -> list[str]:
    """Django with only the search app: the benchmark does not depend on the rest of Kefu."""
    import dj_database_url
    import django
    from django.conf import settings

    databases = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(sqlite_path),
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
        }
    }
    if pg_url:
        ensure_pg_database(pg_url)
        databases["pg"] = dj_database_url.parse(pg_url, conn_max_age=0)
    settings.configure(
        INSTALLED_APPS=["kefu.search"],
        DATABASES=databases,
        USE_TZ=True,
        TIME_ZONE="Asia/Shanghai",
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    )
    django.setup()
    from django.core.management import call_command

    for alias in databases:
        call_command("migrate", "search", database=alias, verbosity=0)
    return list(databases)


class Vocabulary:
    """Han words of two to four characters from jieba's dictionary, drawn by frequency."""

    def __init__(self, size: int = 40_000) -> None:
        import jieba

        path = Path(jieba.__file__).parent / "dict.txt"
        words = []
        for line in path.read_text(encoding="utf-8").splitlines():
            word, freq, _tag = line.split(" ")
            if 2 <= len(word) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in word):
                words.append((int(freq), word))
        words.sort(reverse=True)
        self.words = [w for _f, w in words[:size]]
        self.cumulative = list(itertools.accumulate(f for f, _w in words[:size]))

    def sample(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cumulative, k=count)

    def sentence(self, rng: random.Random, words: int) -> str:
        return "".join(self.sample(rng, words))

    def paragraph(self, rng: random.Random, low: int, high: int) -> str:
        count = rng.randint(low, high)
        return "，".join(self.sentence(rng, rng.randint(3, 8)) for _ in range(count)) + "。"


@functools.lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    return Vocabulary()


def make_articles(start: int, count: int) -> list[tuple[Document, str]]:
    """Articles ``start+1`` … ``start+count``; the same numbers always give the same text."""
    vocab, rng = vocabulary(), random.Random(f"article-{start}")
    made = []
    for n in range(start + 1, start + count + 1):
        title = vocab.sentence(rng, rng.randint(3, 5))
        questions = "\n".join(vocab.sentence(rng, rng.randint(3, 6)) for _ in range(4))
        body = "\n".join(vocab.paragraph(rng, 4, 8) for _ in range(rng.randint(4, 6)))
        labels = {"public" if rng.random() < 0.7 else "internal", f"cat{rng.randint(1, 40)}"}
        fields = (
            Field("title", title, Weight.A, pinyin=True),
            Field("questions", questions, Weight.B),
            Field("body", body, Weight.C),
        )
        document = Document(str(n), title, fields, frozenset(labels))
        made.append((document, f"{title}\n{questions}\n{body}"))
    return made


def _customer(vocab: Vocabulary, rng: random.Random) -> str:
    if rng.random() < 0.6:
        return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))
    return rng.choice(CITIES) + rng.choice(vocab.words[:3000]) + rng.choice(COMPANY_SUFFIX)


def make_requests(start: int, count: int) -> list[tuple[Document, str]]:
    """Requests ``start+1`` … ``start+count`` (number, phone, customer, content)."""
    vocab, rng = vocabulary(), random.Random(f"request-{start}")
    made = []
    for n in range(start + 1, start + count + 1):
        day = 240101 + 100 * (n // 100_000 % 12) + n // 4_000 % 28
        number = f"GZ{day:06d}{n:07d}"
        phone = f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}"
        customer = _customer(vocab, rng)
        content = vocab.paragraph(rng, 1, 3)
        document = request_document(
            key=str(n), number=number, phone=phone, customer=customer, content=content
        )
        made.append((document, f"{number} {phone} {customer} {content}"))
    return made


MAKERS: dict[str, Callable[[int, int], list[tuple[Document, str]]]] = {
    "article": make_articles,
    "request": make_requests,
}


def prepared_chunk(job: tuple[str, int, int]) -> tuple[list[PreparedDocument], list[object]]:
    """Worker: make and tokenise one chunk; return it prepared plus the plain-table rows."""
    kind, start, count = job
    made = MAKERS[kind](start, count)
    return [prepare(d) for d, _t in made], [(int(d.key), text) for d, text in made]


def create_plain_table(alias: str, kind: str) -> None:
    from django.db import connections

    with connections[alias].cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS bench_plain_{kind}")
        cursor.execute(f"CREATE TABLE bench_plain_{kind} (id integer PRIMARY KEY, content text)")


def load(kind: str, total: int, aliases: list[str], workers: int) -> None:
    from django.db import connections, transaction

    from kefu.search.index import clear, index_prepared

    for alias in aliases:
        clear(kind, using=alias)
        create_plain_table(alias, kind)
    started = time.perf_counter()
    done = 0
    jobs = [(kind, start, min(CHUNK, total - start)) for start in range(0, total, CHUNK)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for prepared, plain in pool.imap(prepared_chunk, jobs):
            for alias in aliases:
                with transaction.atomic(using=alias):
                    index_prepared(kind, prepared, using=alias)
                    with connections[alias].cursor() as cursor:
                        cursor.executemany(
                            f"INSERT INTO bench_plain_{kind} (id, content) VALUES (%s, %s)", plain
                        )
            done += len(prepared)
            rate = done / (time.perf_counter() - started)
            print(f"\r  {kind}: {done:,}/{total:,} ({rate:,.0f}/s)", end="", flush=True)
    print()


def maintain(aliases: list[str]) -> None:
    """What a site's nightly maintenance does: merge FTS5 segments, VACUUM ANALYZE."""
    from django.db import connections

    for alias in aliases:
        connection = connections[alias]
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                for table in ("search_article", "search_request"):
                    cursor.execute(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('optimize')")
                cursor.execute("ANALYZE")
            else:
                connection.ensure_connection()
                connection.connection.autocommit = True
                cursor.execute("VACUUM ANALYZE")


def article_queries(count: int, articles: int) -> list[str]:
    """Single words (common to rare), questions, fragments cut out of an article's text (a
    two-character word inside a longer phrase), and pairs of words."""
    vocab, rng = vocabulary(), random.Random(7)
    queries = []
    for i in range(count):
        shape = i % 4
        if shape == 0:
            queries.append(rng.choice(vocab.words[: rng.choice([200, 3000, 40_000])]))
        elif shape == 1:
            queries.append("".join(vocab.sample(rng, rng.randint(2, 3))) + "怎么办")
        elif shape == 2:
            document, text = make_articles(rng.randrange(articles), 1)[0]
            at = rng.randrange(max(1, len(text) - 8))
            queries.append(text[at : at + rng.randint(2, 6)].strip() or document.title)
        else:
            queries.append(" ".join(rng.sample(vocab.words[:20_000], 2)))
    return queries


def request_queries(count: int, requests: int) -> list[str]:
    """A request's number, phone, customer, or a fragment of its description."""
    rng = random.Random(11)
    queries = []
    for i in range(count):
        document, _text = make_requests(rng.randrange(requests), 1)[0]
        fields = {f.name: f.text for f in document.fields}
        shape = i % 4
        if shape == 0:
            queries.append(fields["number"])
        elif shape == 1:
            queries.append(fields["phone"])
        elif shape == 2:
            queries.append(fields["customer"])
        else:
            content = fields["content"]
            at = rng.randint(0, max(0, len(content) - 8))
            queries.append(content[at : at + rng.randint(3, 8)])
    return queries


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _timings(run: Callable[[str], object], queries: list[str]) -> list[float]:
    times = []
    for query in queries:
        started = time.perf_counter()
        run(query)
        times.append((time.perf_counter() - started) * 1000)
    return times


def measure(
    label: str, run: Callable[[str], object], queries: list[str], *, warm: bool = True
) -> dict[str, float]:
    """Time every query. With ``warm``, a first pass over the same queries fills the caches
    and is reported as "cold" p95; the figures are from the second pass."""
    cold = _timings(run, queries) if warm else None
    times = _timings(run, queries)
    result = {
        "p50": statistics.median(times),
        "p95": percentile(times, 0.95),
        "max": max(times),
        "cold_p95": percentile(cold, 0.95) if cold else float("nan"),
    }
    print(
        f"  {label:<40} p50 {result['p50']:7.1f} ms  p95 {result['p95']:7.1f} ms  "
        f"max {result['max']:7.1f} ms  (n={len(times)}; cold pass p95 {result['cold_p95']:.1f})",
        flush=True,
    )
    return result


def like_runner(alias: str, kind: str) -> Callable[[str], object]:
    from django.db import connections

    def run(query: str) -> object:
        with connections[alias].cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM bench_plain_{kind} WHERE content LIKE %s ORDER BY id DESC "
                "LIMIT 10",
                [f"%{query}%"],
            )
            return cursor.fetchall()

    return run


def search_runner(alias: str, kind: str, labels: tuple[str, ...] = ()) -> Callable[[str], object]:
    from kefu.search.index import search

    return lambda query: search(kind, query, labels=labels, using=alias)


def suggest_runner(alias: str) -> Callable[[str], object]:
    from kefu.search.index import suggest

    return lambda query: suggest("article", query, labels=("public",), using=alias)


def run_queries(aliases: list[str], args: argparse.Namespace) -> None:
    from django.db import connections

    articles, requests = int(ARTICLES * args.scale), int(REQUESTS * args.scale)
    a_queries = article_queries(args.queries, articles)
    r_queries = request_queries(args.queries, requests)
    prefixes = [q[: max(1, len(q) // 2 + 1)] for q in a_queries if len(q) >= 2][: args.queries]
    for alias in aliases:
        vendor = connections[alias].vendor
        print(f"\n{vendor}: {articles:,} articles, {requests:,} requests")
        a = measure("articles: search (staff, all)", search_runner(alias, "article"), a_queries)
        measure(
            "articles: search (portal, public only)",
            search_runner(alias, "article", ("public",)),
            a_queries,
        )
        measure("articles: suggestions while typing", suggest_runner(alias), prefixes)
        r = measure("requests: search", search_runner(alias, "request"), r_queries)
        la = measure(
            "articles: LIKE '%…%' baseline",
            like_runner(alias, "article"),
            a_queries[: args.like_queries],
        )
        lr = measure(
            "requests: LIKE '%…%' baseline",
            like_runner(alias, "request"),
            r_queries[: args.like_queries],
        )
        print(
            f"  baseline ratio (LIKE / search, p50): articles {la['p50'] / a['p50']:.0f}x, "
            f"requests {lr['p50'] / r['p50']:.0f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 100k articles, 1M requests")
    parser.add_argument("--queries", type=int, default=200, help="queries per kind")
    parser.add_argument("--like-queries", type=int, default=40, help="baseline LIKE queries")
    parser.add_argument("--sqlite", default="/tmp/kefu_bench/bench.sqlite3")
    parser.add_argument(
        "--pg",
        default=os.environ.get(
            "BENCH_PG_URL", "postgres://postgres@127.0.0.1:54329/kefu_knowledge_bench"
        ),
        help="PostgreSQL URL ('' to skip PostgreSQL)",
    )
    parser.add_argument("--workers", type=int, default=2, help="tokenising processes")
    parser.add_argument("--reuse", action="store_true", help="skip loading; query existing data")
    args = parser.parse_args()

    sqlite_path = Path(args.sqlite)
    sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    if not args.reuse and sqlite_path.exists():
        sqlite_path.unlink()
    aliases = setup_django(sqlite_path, args.pg or None)
    if not args.reuse:
        started = time.perf_counter()
        articles, requests = int(ARTICLES * args.scale), int(REQUESTS * args.scale)
        load("article", articles, aliases, args.workers)
        load("request", requests, aliases, args.workers)
        print(f"loaded in {time.perf_counter() - started:,.0f} s")
    started = time.perf_counter()
    maintain(aliases)
    print(f"maintenance (FTS5 optimize, VACUUM ANALYZE) in {time.perf_counter() - started:,.0f} s")
    run_queries(aliases, args)


if __name__ == "__main__":
    main()
