"""Entity resolution of customers: normalise, block, compare in levels, score, decide, cluster, explain.

Pure core (no store, no HTTP):

- :func:`prepare` turns a :class:`Record` into a :class:`Prepared` one with ``mapping``'s normalisers;
- :class:`MatchIndex` blocks (``dedupe.blocking``), compares (``dedupe.compare``) and scores
  (``dedupe.weights``) each new record against those indexed so far, incrementally;
- :func:`run_batch` (``dedupe.batch``) is the full run over many records, the same result as
  feeding every record through one :class:`MatchIndex` (``dedupe.index.run_batch``, the reference)
  in less time; :func:`evaluate_files` scores it on labelled
  CSV files (``synchub dedupe eval``); ``dedupe.generate`` makes labelled Chinese B2B data.

Against the store (through ``hub``): :class:`CustomerMatcher` matches leads as they arrive,
:func:`run_full` re-clusters every customer, and the review queue (:func:`list_candidates`,
:func:`approve`, :func:`reject`, :func:`unmerge`) serves the CLI and the web console alike; every
merge and unmerge is a ledger event with its explanation.
"""

from dedupe.batch import run_batch
from dedupe.blocking import RULES, BlockingStats, block_keys, count_pairs
from dedupe.cluster import ClusterBuilder, UnionFind, connected_components
from dedupe.compare import FIELDS, LEVELS, compare
from dedupe.evaluate import evaluate_files, evaluate_records, pairwise_scores, read_records, read_truth
from dedupe.golden import FIELD_RULES, SOURCE_PRIORITY, MemberState, survive
from dedupe.index import BatchResult, MatchIndex, ScoredPair
from dedupe.merge import merge_customers, unmerge_customer
from dedupe.records import Prepared, Record, prepare
from dedupe.review import approve, get_candidate, list_candidates, reject, unmerge
from dedupe.service import CustomerMatcher, LeadMatch, run_full
from dedupe.weights import Decision, Model, load_model

__all__ = [
    "FIELDS",
    "FIELD_RULES",
    "LEVELS",
    "RULES",
    "SOURCE_PRIORITY",
    "BatchResult",
    "BlockingStats",
    "ClusterBuilder",
    "CustomerMatcher",
    "Decision",
    "LeadMatch",
    "MatchIndex",
    "MemberState",
    "Model",
    "Prepared",
    "Record",
    "ScoredPair",
    "UnionFind",
    "approve",
    "block_keys",
    "compare",
    "connected_components",
    "count_pairs",
    "evaluate_files",
    "evaluate_records",
    "get_candidate",
    "list_candidates",
    "load_model",
    "merge_customers",
    "pairwise_scores",
    "prepare",
    "read_records",
    "read_truth",
    "reject",
    "run_batch",
    "run_full",
    "survive",
    "unmerge",
    "unmerge_customer",
]
