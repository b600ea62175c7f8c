#!/usr/bin/env python3
"""Independent check of `aleph classify` with a Flatten CNN on Fashion-MNIST (issue 12).

Written from DESIGN.md ("Convolutional networks", "Classification defaults", "Data formats"),
not from the Java code. It reads the IDX files (gzip), preprocesses the images (pixels / 255,
each image centred to mean 0 and scaled so that |x|^2 / d = 1), computes the NNGP and NTK of

    Conv(W,b,filter=k,stride=1,padding=SAME) Relu  (repeated --blocks times)  Flatten Dense(Wo,bo)

in NumPy, and does kernel regression of one-hot targets 0.9 / -0.1 with the NNGP (classify's
default kernel: the posterior mean at t = inf) and diag_reg 1e-4 relative to the mean diagonal
of the train kernel, predicting the arg-max. Then it runs

    aleph classify --net SPEC --train ... --test ... --n-train N --n-test M --json
    aleph kernel --net SPEC --x1 train.npy --nngp Ktr.npy --ntk Ttr.npy
    aleph kernel --net SPEC --x1 test.npy --x2 train.npy --nngp Kte.npy --ntk Tte.npy

on the same data (the .npy files are the images preprocessed here, shape (n, H, W, 1)) and
compares: kernels entry by entry, predicted labels one by one (the regression here applied to
aleph's kernels against the regression applied to the reference kernels), classify's accuracy
and confusion matrix against the reference's. Exit status 1 on any disagreement.

Kernel of a network that reduces by Flatten alone: only the spatial diagonal S[p] = S[p, p] of
each image pair is needed (neural-tangents' diagonal_spatial).
    input   S[p] = sum_c xa[p, c] xb[p, c] / C,            T = 0
    Conv    S[p] <- W^2 / k^2 * (sum of S over the k x k window at p, zero outside) + b^2
            T[p] <- S_new[p] + W^2 / k^2 * (the same window sum of T)
            (the same offset on both images, so on the diagonal it is a plain box filter)
    Relu    per pixel with (u, v) ~ N(0, [[qa[p], S[p]], [S[p], qb[p]]]), where qa, qb are the
            images' own pre-activation variances, propagated alongside by the same rules:
            rho = clip(S / sqrt(qa qb), -1, 1), theta = arccos(rho),
            S <- sqrt(qa qb) / (2 pi) * (sin theta + (pi - theta) cos theta),
            T <- T * (pi - theta) / (2 pi);  the self variance becomes q / 2.
    Flatten K = mean over p of S, T likewise.
    Dense   K <- Wo^2 K + bo^2,  T <- K_new + Wo^2 T.

Usage:
    python3 tools/reference/fashion_conv_check.py                        # the issue's 1000 / 2000
    python3 tools/reference/fashion_conv_check.py --n-train 200 --n-test 400   # quick (CI)
    python3 tools/reference/fashion_conv_check.py --reference-only       # no aleph
"""

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import scipy.linalg

DATA = "/usr/share/datasets/fashion-mnist"
ON, OFF = 0.9, -0.1


# ---------------------------------------------------------------------------------------------
# Data: IDX (gzip or not) and the classification preprocessing
# ---------------------------------------------------------------------------------------------

def read_idx(path, count=None):
    """The array held by an IDX file: magic 0 0 type ndim, ndim big-endian uint32 sizes, data."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        head = f.read(4)
        if len(head) != 4 or head[0] != 0 or head[1] != 0:
            raise SystemExit(f"{path}: not an IDX file")
        dtypes = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
        dtype = np.dtype(dtypes[head[2]])
        ndim = head[3]
        dims = [int.from_bytes(f.read(4), "big") for _ in range(ndim)]
        n = dims[0] if count is None else min(count, dims[0])
        per = int(np.prod(dims[1:])) if ndim > 1 else 1
        raw = f.read(n * per * dtype.itemsize)
    return np.frombuffer(raw, dtype=dtype).reshape([n] + dims[1:]).astype(np.float64)


def labels_path(images_path):
    """The MNIST naming rule: train-images-idx3-ubyte.gz -> train-labels-idx1-ubyte.gz."""
    return images_path.replace("-images-idx3-ubyte", "-labels-idx1-ubyte")


def standardize(x):
    """Pixels / 255, then each image centred to mean 0 and scaled to |x|^2 / d = 1 (0 stays 0)."""
    n = x.shape[0]
    flat = x.reshape(n, -1) / 255.0
    d = flat.shape[1]
    flat = flat - flat.mean(axis=1, keepdims=True)
    sq = (flat * flat).sum(axis=1, keepdims=True)
    scale = np.where(sq > 0, np.sqrt(d / np.where(sq > 0, sq, 1.0)), 0.0)
    return (flat * scale).reshape(x.shape)


# ---------------------------------------------------------------------------------------------
# The Flatten-CNN kernel, vectorised over blocks of image pairs
# ---------------------------------------------------------------------------------------------

class FlattenCnn:
    """Conv(w,b,filter=k,stride=1,SAME) Relu, `blocks` times, then Flatten Dense(wo,bo)."""

    def __init__(self, w=1.5, b=0.05, k=3, blocks=2, wo=1.0, bo=0.0, dtype=np.float64):
        f = np.dtype(dtype).type  # np.longdouble: x87 extended precision (64-bit mantissa) on x86-64
        self.dtype = dtype
        self.w2, self.b2, self.wo2, self.bo2 = f(w) * f(w), f(b) * f(b), f(wo) * f(wo), f(bo) * f(bo)
        self.k, self.blocks = k, blocks
        self.pi = np.arccos(f(-1))

    def spec(self, w, b, wo, bo):
        fmt = lambda v: repr(float(v)).rstrip("0").rstrip(".") if float(v) != int(v) else str(int(v))
        conv = f"Conv({fmt(w)},{fmt(b)},filter={self.k},stride=1,padding=SAME) Relu"
        return " ".join([conv] * self.blocks) + f" Flatten Dense({fmt(wo)},{fmt(bo)})"

    def box(self, x):
        """Sum over the k x k window of every pixel (SAME, stride 1: lo = (k-1)//2 before, the rest
        after; positions outside the image contribute 0), as shifted adds along rows then columns."""
        lo = (self.k - 1) // 2
        shifts = [d - lo for d in range(self.k) if d != lo]
        h, w = x.shape[-2], x.shape[-1]
        r = x.copy()
        for d in shifts:  # r[i] += x[i + d] where 0 <= i + d < h
            if d > 0:
                r[..., :h - d, :] += x[..., d:, :]
            else:
                r[..., -d:, :] += x[..., :h + d, :]
        out = r.copy()
        for d in shifts:
            if d > 0:
                out[..., :w - d] += r[..., d:]
            else:
                out[..., -d:] += r[..., :w + d]
        return out

    def self_variances(self, x):
        """Pre-activation variances q[l][n, H, W] of each image at every Relu."""
        s = (x * x).sum(axis=-1) / x.shape[-1]
        qs = []
        for _ in range(self.blocks):
            q = self.w2 / self.k ** 2 * self.box(s) + self.b2
            qs.append(q)
            # E[relu(u)^2] = q / 2, evaluated by the pair formula at rho = 1 so that a pair of equal
            # images goes through bit for bit the same numbers as its self variances (rho = 1
            # exactly, not 1 - 1 ulp: near rho = 1 theta = arccos(rho) moves by sqrt(2 ulp) ~ 1e-8).
            s, _ = self.relu(q, q, q)
        return qs

    def relu(self, s, qa, qb):
        """Arc-cosine kernel of Relu per pixel: E[relu(u) relu(v)] and E[step(u) step(v)]."""
        nrm = np.sqrt(qa * qb)
        rho = np.clip(s / nrm, -1.0, 1.0)
        pit = self.pi - np.arccos(rho)
        k = nrm / (2 * self.pi) * (np.sqrt(np.maximum(1 - rho * rho, 0)) + pit * rho)
        return k, pit / (2 * self.pi)

    def pair_block(self, xa, xb, qa, qb):
        """K, T for every pair of xa (A, H, W, C) and xb (B, H, W, C); qa, qb from self_variances."""
        return self.pairs(xa[:, None], xb[None, :], [q[:, None] for q in qa], [q[None, :] for q in qb])

    def pair_list(self, xa, xb, ia, ib):
        """K, T of the pairs (xa[ia[m]], xb[ib[m]]) only."""
        qa, qb = self.self_variances(xa[ia]), self.self_variances(xb[ib])
        return self.pairs(xa[ia], xb[ib], qa, qb)

    def pairs(self, xa, xb, qa, qb):
        """K, T of images xa, xb (..., H, W, C) broadcast against each other; qa, qb alike (..., H, W)."""
        s = (xa * xb).sum(axis=-1) / xa.shape[-1]
        t = np.zeros_like(s)
        c = self.w2 / self.k ** 2
        for l in range(self.blocks):
            s = self.box(s)
            s *= c
            s += self.b2
            if l == 0:
                t = s.copy()  # T was 0
            else:
                t = self.box(t)
                t *= c
                t += s
            s, dot = self.relu(s, qa[l], qb[l])
            t *= dot
        k = s.mean(axis=(-2, -1))
        t = t.mean(axis=(-2, -1))
        k = self.wo2 * k + self.bo2
        t = k + self.wo2 * t
        return k, t

    def kernels(self, x1, x2=None, pairs_per_block=3000):
        """NNGP and NTK of x1 against x2 (or itself: upper triangle, mirrored)."""
        sym = x2 is None
        x2 = x1 if sym else x2
        q1 = self.self_variances(x1)
        q2 = q1 if sym else self.self_variances(x2)
        n1, n2 = x1.shape[0], x2.shape[0]
        K, T = np.empty((n1, n2)), np.empty((n1, n2))
        rows = max(1, pairs_per_block // n2)
        for i0 in range(0, n1, rows):
            i1 = min(n1, i0 + rows)
            j0 = i0 if sym else 0
            k, t = self.pair_block(x1[i0:i1], x2[j0:], [q[i0:i1] for q in q1], [q[j0:] for q in q2])
            K[i0:i1, j0:], T[i0:i1, j0:] = k, t
        if sym:
            iu = np.triu_indices(n1, 1)
            K[(iu[1], iu[0])] = K[iu]
            T[(iu[1], iu[0])] = T[iu]
        return K, T


# ---------------------------------------------------------------------------------------------
# Kernel regression
# ---------------------------------------------------------------------------------------------

def regression(k_train, k_test_train, labels, classes, diag_reg):
    """Scores K_* (K + r I)^-1 Y, r = diag_reg * mean diagonal of K; one-hot ON / OFF targets."""
    n = k_train.shape[0]
    y = np.full((n, classes), OFF)
    y[np.arange(n), labels] = ON
    r = diag_reg * np.trace(k_train) / n
    factor = scipy.linalg.cho_factor(k_train + r * np.eye(n), lower=True)
    return k_test_train @ scipy.linalg.cho_solve(factor, y)


def margin(scores):
    top2 = np.sort(scores, axis=1)[:, -2:]
    return float((top2[:, 1] - top2[:, 0]).min())


def rel_err(a, ref):
    return float(np.max(np.abs(a - ref)) / np.max(np.abs(ref)))


def entry_rel_err(a, ref):
    return float(np.max(np.abs(a - ref) / np.abs(ref)))


def adjudicate(a, xtr, xte, A, R):
    """Recomputes in long double the pairs where the float64 reference R and aleph's A differ by
    more than 1e-13 relative (in the NNGP or the NTK), puts those values into R (in place), and
    says how far the float64 reference and aleph were from them. Near a per-pixel correlation of
    1 the Relu derivative factor (pi - arccos rho) / 2 pi amplifies the rounding of rho by
    1 / sin(theta), so float64 alone settles the NTK only to ~1e-11 on Fashion-MNIST."""
    ld = FlattenCnn(1.5, 0.05, a.filter, a.blocks, 1.0, 0.0, dtype=np.longdouble)
    out = {"pairs": 0, "float64_error": 0.0, "aleph_error": 0.0}
    for kk, tt, x1, x2, sym in (("Ktr", "Ttr", xtr, None, True), ("Kte", "Tte", xte, xtr, False)):
        bad = np.maximum(np.abs(A[kk] - R[kk]) / np.abs(R[kk]), np.abs(A[tt] - R[tt]) / np.abs(R[tt])) > 1e-13
        if sym:
            bad = np.triu(bad | bad.T)
        i, j = np.nonzero(bad)
        if len(i) > a.adjudicate - out["pairs"]:
            raise SystemExit(f"{len(i)} pairs of {kk} differ by more than 1e-13; raise --adjudicate")
        if len(i) == 0:
            continue
        xl1 = x1.astype(np.longdouble)
        xl2 = xl1 if x2 is None else x2.astype(np.longdouble)
        for m0 in range(0, len(i), 200):
            ii, jj = i[m0:m0 + 200], j[m0:m0 + 200]
            k, t = ld.pair_list(xl1, xl2, ii, jj)
            for name, exact in ((kk, k), (tt, t)):
                out["float64_error"] = max(out["float64_error"], float(np.max(np.abs(R[name][ii, jj] - exact) / exact)))
                out["aleph_error"] = max(out["aleph_error"], float(np.max(np.abs(A[name][ii, jj] - exact) / exact)))
                R[name][ii, jj] = exact
                if sym:
                    R[name][jj, ii] = exact
        out["pairs"] += len(i)
    return out


# ---------------------------------------------------------------------------------------------

def run(cmd, what):
    t0 = time.time()
    p = subprocess.run(cmd, capture_output=True, text=True)
    dt = time.time() - t0
    if p.returncode != 0:
        raise SystemExit(f"aleph failed ({what}), exit {p.returncode}: {p.stderr.strip()}")
    return p.stdout, dt


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n-train", type=int, default=1000)
    ap.add_argument("--n-test", type=int, default=2000)
    ap.add_argument("--data", default=DATA, help="folder with the Fashion-MNIST IDX files")
    ap.add_argument("--aleph", default=None, help="the aleph script (default: ./aleph of this tree)")
    ap.add_argument("--diag-reg", type=float, default=1e-4)
    ap.add_argument("--blocks", type=int, default=2, help="number of Conv Relu blocks (default 2)")
    ap.add_argument("--filter", type=int, default=3)
    ap.add_argument("--workdir", default=None, help="keep the .npy files here (default: a temporary folder)")
    ap.add_argument("--reference-only", action="store_true", help="do not run aleph")
    ap.add_argument("--tol-nngp", type=float, default=1e-12,
                    help="largest allowed max entrywise |K-Kref|/|Kref| of the NNGP (default 1e-12)")
    ap.add_argument("--tol-ntk", type=float, default=1e-8,
                    help="the same for the NTK (default 1e-8: near rho = 1 the Relu derivative factor amplifies "
                         "rounding; aleph and a float64 reference are each off by up to ~1e-9 there)")
    ap.add_argument("--adjudicate", type=int, default=0, metavar="P",
                    help="recompute in long double at most P pairs where the float64 reference and aleph differ by "
                         "more than 1e-13 relative (~1 ms per pair; 200/400 needs ~3300; default 0: off)")
    ap.add_argument("--json", action="store_true", help="print one JSON object at the end")
    ap.add_argument("--cross-check", type=int, default=0, metavar="N",
                    help="also compare the diagonal-only kernel on the first N training images with the "
                         "full-covariance reference_conv_kernels.py (N = 4 takes a few seconds)")
    a = ap.parse_args()

    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    aleph = a.aleph or os.path.join(root, "aleph")
    os.environ.setdefault("ALEPH_NO_BUILD", "1")

    train_path = os.path.join(a.data, "train-images-idx3-ubyte.gz")
    test_path = os.path.join(a.data, "t10k-images-idx3-ubyte.gz")
    for p in (train_path, test_path):
        if not os.path.exists(p):
            raise SystemExit(f"{p} is missing (apt-get install -y dataset-fashion-mnist)")

    w, b, wo, bo = 1.5, 0.05, 1.0, 0.0
    net = FlattenCnn(w, b, a.filter, a.blocks, wo, bo)
    spec = net.spec(w, b, wo, bo)
    out = {"network": spec, "n_train": a.n_train, "n_test": a.n_test, "diag_reg": a.diag_reg, "kernel": "nngp"}
    log = (lambda *s: print(*s, file=sys.stderr)) if a.json else print

    # --- reference --------------------------------------------------------------------------
    t0 = time.time()
    xtr = standardize(read_idx(train_path, a.n_train))[..., None]  # (n, 28, 28, 1)
    xte = standardize(read_idx(test_path, a.n_test))[..., None]
    ytr = read_idx(labels_path(train_path), a.n_train).astype(int)
    yte = read_idx(labels_path(test_path), a.n_test).astype(int)
    classes = int(max(ytr.max(), yte.max())) + 1
    t1 = time.time()
    Ktr, Ttr = net.kernels(xtr)
    Kte, Tte = net.kernels(xte, xtr)
    t2 = time.time()
    scores = regression(Ktr, Kte, ytr, classes, a.diag_reg)
    pred = scores.argmax(axis=1)
    t3 = time.time()
    acc = float((pred == yte).mean())
    confusion = np.zeros((classes, classes), dtype=int)
    np.add.at(confusion, (yte, pred), 1)
    out["reference"] = {"accuracy": acc, "seconds": {"load": t1 - t0, "kernels": t2 - t1, "solve_predict": t3 - t2,
                                                     "total": t3 - t0},
                        "smallest_top2_margin": margin(scores)}
    log(f"network      {spec}")
    log(f"data         {xtr.shape[0]} train, {xte.shape[0]} test, images {xtr.shape[1:]}")
    log(f"reference    accuracy {acc:.4f}  kernels {t2 - t1:.1f} s  solve {t3 - t2:.2f} s  total {t3 - t0:.1f} s"
        f"  (smallest top-2 score gap {margin(scores):.3e})")

    ok = True
    if a.cross_check > 0:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import reference_conv_kernels as full
        xs = xtr[:a.cross_check]
        Kf, Tf = full.reference(spec, xs)
        Kd, Td = net.kernels(xs)
        cross = max(rel_err(Kd, Kf), rel_err(Td, Tf))
        out["cross_check_full_covariance"] = cross
        log(f"cross-check  diagonal-only vs full-covariance reference on {len(xs)} images: {cross:.2e}")
        ok = cross <= a.tol_nngp
    if not a.reference_only:
        work = a.workdir or tempfile.mkdtemp(prefix="fashion_conv_")
        os.makedirs(work, exist_ok=True)
        try:
            ftr, fte = os.path.join(work, "train.npy"), os.path.join(work, "test.npy")
            np.save(ftr, np.ascontiguousarray(xtr))
            np.save(fte, np.ascontiguousarray(xte))

            cmd = [aleph, "classify", "--net", spec, "--train", train_path, "--test", test_path,
                   "--n-train", str(a.n_train), "--n-test", str(a.n_test), "--diag-reg", repr(a.diag_reg), "--json"]
            stdout, dt_classify = run(cmd, "classify")
            c = json.loads(stdout)
            same_confusion = np.array_equal(np.array(c["confusion"]), confusion)

            p = {k: os.path.join(work, k + ".npy") for k in ("Ktr", "Ttr", "Kte", "Tte")}
            _, dt_k1 = run([aleph, "kernel", "--net", spec, "--x1", ftr, "--nngp", p["Ktr"], "--ntk", p["Ttr"]],
                           "kernel train")
            _, dt_k2 = run([aleph, "kernel", "--net", spec, "--x1", fte, "--x2", ftr, "--nngp", p["Kte"],
                            "--ntk", p["Tte"]], "kernel test")
            A = {k: np.load(v) for k, v in p.items()}
            R = {"Ktr": Ktr, "Ttr": Ttr, "Kte": Kte, "Tte": Tte}
            if a.workdir is not None:
                for k, v in R.items():
                    np.save(os.path.join(work, "ref_" + k + ".npy"), v)
            names = {"Ktr": "nngp_train", "Ttr": "ntk_train", "Kte": "nngp_test", "Tte": "ntk_test"}
            f64 = {names[k]: (rel_err(A[k], R[k]), entry_rel_err(A[k], R[k])) for k in R}
            adj = adjudicate(a, xtr, xte, A, R) if a.adjudicate > 0 else {"pairs": 0}
            errs = {names[k]: rel_err(A[k], R[k]) for k in R}
            entry = {names[k]: entry_rel_err(A[k], R[k]) for k in R}
            a_scores = regression(A["Ktr"], A["Kte"], ytr, classes, a.diag_reg)
            a_pred = a_scores.argmax(axis=1)
            differ = int((a_pred != pred).sum())
            out["aleph"] = {"classify_accuracy": c["accuracy"], "classify_seconds_process": dt_classify,
                            "classify_seconds_reported": c["seconds"], "classify_confusion_equal": same_confusion,
                            "kernel_seconds_process": {"train": dt_k1, "test": dt_k2},
                            "float64_reference_errors": f64, "adjudication": adj,
                            "max_rel_error_over_max": errs, "max_entrywise_rel_error": entry,
                            "labels_differing": differ,
                            "max_score_difference": float(np.max(np.abs(a_scores - scores)))}
            within = all(entry[k] <= (a.tol_nngp if k.startswith("nngp") else a.tol_ntk) for k in entry)
            log(f"aleph        classify accuracy {c['accuracy']:.4f} in {dt_classify:.1f} s (whole process; "
                f"its own: {json.dumps(c['seconds'])}), confusion {'equal' if same_confusion else 'DIFFERENT'}")
            log(f"             kernel: train {dt_k1:.1f} s, test {dt_k2:.1f} s (whole processes)")
            log("             against the float64 reference:")
            for k in errs:
                log(f"             {k:11s} max|K-Kref|/max|Kref| {f64[k][0]:.2e}   max entrywise rel {f64[k][1]:.2e}")
            if adj["pairs"]:
                log(f"             {adj['pairs']} pairs differing by > 1e-13 recomputed in long double: there the float64"
                    f" reference errs by up to {adj['float64_error']:.2e}, aleph by up to {adj['aleph_error']:.2e}")
            if adj["pairs"]:
                log("             against the reference with those pairs in long double:")
                for k in errs:
                    log(f"             {k:11s} max|K-Kref|/max|Kref| {errs[k]:.2e}   max entrywise rel {entry[k]:.2e}")
            log(f"             labels from aleph's kernels differing from the reference's: {differ} of {len(pred)}"
                f" (largest score difference {out['aleph']['max_score_difference']:.2e})")
            ok = ok and within and differ == 0 and same_confusion and c["accuracy"] == acc
        finally:
            if a.workdir is None:
                shutil.rmtree(work, ignore_errors=True)
    out["agree"] = ok
    log("AGREE" if ok else "DISAGREE")
    if a.json:
        print(json.dumps(out))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
