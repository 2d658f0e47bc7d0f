"""``mfn train-validation``: the original's validate run (simulate fields, train the MFN network)."""

from __future__ import annotations

import argparse
import json


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "train-validation", help="simulate fields, train the MFN network on their features, print the report"
    )
    parser.add_argument("--preset", default="medium", help="size preset: small, medium or large (default medium)")
    parser.add_argument("--seed", type=int, default=0, help="seed of fields, network and IFS (default 0)")
    parser.add_argument("--epochs", type=int, default=300, help="Adam steps (default 300)")
    parser.add_argument("--n-fields", type=int, default=16, help="fields simulated (default 16)")
    parser.add_argument(
        "--threshold-mode", default="adaptive", help="box-counting mask threshold: adaptive or fixed (default adaptive)"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from mfn.workflows.training import train_validation

    out = train_validation(
        args.preset, args.seed, epochs=args.epochs, n_fields=args.n_fields, threshold_mode=args.threshold_mode
    )
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    lo, hi = out["potential_range_mV"]
    print(
        f"preset {out['preset']}: {out['n_fields']} fields of {out['grid_size']}x{out['grid_size']}, "
        f"{out['steps']} steps, hidden {out['hidden']}, seed {out['seed']}"
    )
    print(f"loss_start: {out['loss_start']:.6f}")
    print(f"loss_final: {out['loss_final']:.6f}")
    print(f"loss_drop: {100 * out['loss_drop']:.2f} %")
    print(f"loss of the best constant prediction: {out['loss_constant_baseline']:.6f}")
    print(f"potential range: {lo:.2f} .. {hi:.2f} mV")
    print(f"example D: {out['example_D']:.4f} (R^2 {out['example_D_r2']:.3f}, {out['threshold_mode']} threshold)")
    print(f"IFS Lyapunov exponent: {out['ifs_lyapunov']:.4f}")
    print(f"growth events: {out['growth_events']}")
    print(f"E_K: {out['E_K_mV']:.3f} mV")
    print(f"duration: {out['duration_s']:.2f} s")
    return 0
