"""Mutational fuzzing of the mail classifier and the landing-file readers, for a bounded
time (`make fuzz`, not CI). Seeds: the public bounce and auto-reply corpora, our reply
set and the adversarial corpus; mutations: byte flips, truncation, splicing, duplicated
and deleted spans, boundary and header damage. Any exception is a crash: the input is
saved under fuzz-crashes/ and counted.

    python -m tests.fuzz.run [--seconds 60] [--seed 1]"""

import argparse
import json
import random
import time
from datetime import date
from pathlib import Path

from assets.inbound.classify import classify
from assets.ingestion.ingest import validate
from assets.ingestion.landing import UnreadableFile, read_landing_file
from assets.ingestion.landing_schemas import SCHEMAS
from core.config import load_config
from demo.generator import EXAMPLE_CONFIG
from tests.adversarial.corpus import landing_files, mail_corpus

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ROOT.parent / "shared" / "corpora"
CRASHES = ROOT / "fuzz-crashes"


def mail_seeds() -> list[bytes]:
    seeds = [
        p.read_bytes() for p in sorted((CORPORA / "bounces-sisimai" / "eml").glob("*.eml"))[:200]
    ]
    seeds += [
        p.read_bytes() for p in sorted((CORPORA / "autoreplies-sisimai" / "eml").glob("*.eml"))
    ]
    replies = ROOT / "benchmarks" / "data" / "replies.jsonl"
    seeds += [json.loads(line)["raw"].encode() for line in replies.read_text().splitlines()[:60]]
    seeds += [raw for name, raw in mail_corpus() if len(raw) < 1_000_000]
    return seeds


def mutate(data: bytes, rng: random.Random, seeds: list[bytes]) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        choice = rng.randrange(7)
        if not data:
            data = bytearray(rng.choice([s for s in seeds if s])[:64])
        position = rng.randrange(len(data) or 1)
        if choice == 0:  # flip bytes
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif choice == 1:  # truncate
            data = data[:position]
        elif choice == 2:  # splice another seed in
            other = rng.choice(seeds)
            start = rng.randrange(len(other) or 1)
            data[position:position] = other[start : start + rng.randint(1, 400)]
        elif choice == 3:  # duplicate a span
            span = data[position : position + rng.randint(1, 200)]
            data[position:position] = span * rng.randint(1, 5)
        elif choice == 4:  # delete a span
            del data[position : position + rng.randint(1, 200)]
        elif choice == 5:  # damage structure
            data[position:position] = rng.choice(
                [
                    b"\r\n\r\n",
                    b"--",
                    b'boundary="',
                    b"=?utf-8?B?",
                    b"\x00",
                    b"Content-Type: multipart/report; report-type=delivery-status; boundary=x\r\n",
                    b'"',
                    b",",
                    b"\n",
                ]
            )
        else:  # insert random bytes
            data[position:position] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 32)))
    return bytes(data)


def fuzz(seconds: float, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    config = load_config(EXAMPLE_CONFIG)
    mail = mail_seeds()
    files = [data for name, data in landing_files() if name.endswith(".csv")]
    counts = {"mail": 0, "landing": 0, "crashes": 0}
    deadline = time.monotonic() + seconds
    CRASHES.mkdir(exist_ok=True)
    while time.monotonic() < deadline:
        raw = mutate(rng.choice(mail), rng, mail)
        counts["mail"] += 1
        try:
            classify(raw, as_of=date(2026, 11, 24))
        except Exception as exc:  # a crash is any exception
            counts["crashes"] += 1
            (CRASHES / f"mail-{counts['mail']}.eml").write_bytes(raw)
            print(f"mail crash {counts['mail']}: {type(exc).__name__}: {exc}")
        data = mutate(rng.choice(files), rng, files)
        counts["landing"] += 1
        try:
            read = read_landing_file(Path("fuzz.csv"), data)
            validate(SCHEMAS["leads"], read, date(2026, 11, 24), config)
        except UnreadableFile:
            pass  # a named, expected refusal: the file goes to quarantine whole
        except Exception as exc:
            counts["crashes"] += 1
            (CRASHES / f"landing-{counts['landing']}.csv").write_bytes(data)
            print(f"landing crash {counts['landing']}: {type(exc).__name__}: {exc}")
    return counts


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    result = fuzz(args.seconds, args.seed)
    print(
        f"fuzzed {result['mail']} mail messages and {result['landing']} landing files in "
        f"{args.seconds:.0f} s: {result['crashes']} crashes"
    )
