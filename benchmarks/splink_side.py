"""Splink (Fellegi-Sunter on DuckDB), the reference open-source linker, on the same records
the pipeline sees: trained unsupervised on them (random sampling for u, expectation
maximisation for m), pairs predicted within blocks, clustered at several thresholds.

Runs in a venv of its own (`make bench-identity` creates `.venv-splink` with Splink
5.0.0): Splink is a benchmark's yardstick, not a dependency of the product.

    .venv-splink/bin/python benchmarks/splink_side.py --records R.csv --out C.csv

R.csv: `unique_id` and any of first_name, surname, dob, city, email, phone, company_name.
C.csv: `unique_id` and one cluster column per threshold (`cluster_0.50`, ...); the
seconds it took (training, prediction, clustering) are printed as JSON.
"""

import argparse
import json
import time

import duckdb
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

THRESHOLDS = (0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999)


def comparisons(columns: set[str]) -> list:
    chosen = []
    if "first_name" in columns:
        chosen.append(cl.NameComparison("first_name"))
    if "surname" in columns:
        chosen.append(cl.NameComparison("surname"))
    if "dob" in columns:
        chosen.append(cl.DateOfBirthComparison("dob", input_is_string=True))
    if "city" in columns:
        chosen.append(cl.ExactMatch("city").configure(term_frequency_adjustments=True))
    if "email" in columns:
        chosen.append(cl.EmailComparison("email"))
    if "phone" in columns:
        chosen.append(cl.ExactMatch("phone").configure(term_frequency_adjustments=True))
    if "company_name" in columns:
        chosen.append(cl.JaroWinklerAtThresholds("company_name", [0.9]))
    return chosen


def blocking(columns: set[str]) -> list:
    rules = [block_on("first_name", "surname"), block_on("surname", "city")]
    if "email" in columns:
        rules += [block_on("email"), block_on("substr(email, 1, 4)", "surname")]
    if "dob" in columns:
        rules.append(block_on("dob"))
    if "phone" in columns:
        rules.append(block_on("phone", "surname"))
    if "company_name" in columns:
        rules.append(block_on("company_name", "surname"))
    return rules


def run(records_csv: str, out_csv: str) -> dict:
    con = duckdb.connect()
    frame = con.read_csv(records_csv, all_varchar=True)
    columns = set(frame.columns) - {"unique_id"}
    db_api = DuckDBAPI(connection=con)
    started = time.perf_counter()
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=comparisons(columns),
        blocking_rules_to_generate_predictions=blocking(columns),
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(db_api.register(frame.to_arrow_table()), settings)
    deterministic = [block_on("first_name", "surname", "city")]
    if "email" in columns:
        deterministic.append(block_on("email"))
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname")
    )
    if "email" in columns:
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("email"))
    elif "city" in columns:
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("city"))
    trained = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=min(THRESHOLDS))
    predicted = time.perf_counter()
    clusters = None
    for threshold in THRESHOLDS:
        at = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold)
        column = f"cluster_{threshold:.3f}".rstrip("0")
        part = at.as_duckdbpyrelation().select(f'unique_id, cluster_id as "{column}"')
        part = con.from_arrow(part.to_arrow_table())  # kept: Splink drops its tables
        clusters = part if clusters is None else clusters.join(part, "unique_id")
    clusters.write_csv(out_csv)
    done = time.perf_counter()
    return {
        "records": frame.shape[0],
        "train_seconds": trained - started,
        "predict_seconds": predicted - trained,
        "cluster_seconds": done - predicted,
        "seconds": done - started,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    print(json.dumps(run(args.records, args.out)))
