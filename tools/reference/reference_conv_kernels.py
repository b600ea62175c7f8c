#!/usr/bin/env python3
"""Independent reference for `aleph kernel` on convolutional networks: the spatial NNGP and NTK
recursion of DESIGN.md ("Convolutional networks", neural-tangents' stax conventions, NHWC)
written again in NumPy from the design notes alone, without reading the Java code.

Usage:
  python3 tools/reference/reference_conv_kernels.py [--aleph ./aleph] [--only SUBSTRING] [--verbose]
  python3 tools/reference/reference_conv_kernels.py --reference-only     (no aleph; timings)
  python3 tools/reference/reference_conv_kernels.py --self-check         (checks this reference)

The harness runs `ALEPH_NO_BUILD=1 aleph kernel --net SPEC --x1 imgs.npy --nngp K.npy --ntk T.npy`
on 16 architectures (SAME / VALID / CIRCULAR, strides 1 and 2, filters 1-5 and 3x5, AvgPool,
GlobalAvgPool, Flatten, Relu / Erf / Gelu / Tanh, C = 1 and 3, non-square images, a Residual
with a conv branch, spatial Dense and LayerNorm) on six images among which a duplicate (rho = 1),
a negated image (rho = -1) and a zero image, and prints each one's maximal error relative to
max |K| (and max |T|) of the reference. Exit status 1 when a closed-form architecture is off by
more than 1e-9, a Tanh (quadrature) one by more than 1e-7, or aleph fails.

The state: all images' positions are one index (image a, row i, column j), and the NNGP S and
NTK T are arrays of shape (n, H, W, n, H, W): S[a, i, j, b, k, l] is the covariance of the
pre-activation of image a at (i, j) and image b at (k, l). The self-kernels that activations
need (S_aa[p, p]) are the diagonal of this one array, so they are propagated alongside for
free. After Flatten / GlobalAvgPool the state is n x n and the fully connected reference
(reference_kernels.py, imported as `fc`) applies the rest of the spec.

--self-check compares this reference with facts computed another way:
  * linear networks (no activation / Identity): the network is built as explicit matrices M_d
    (one per filter offset d, found by running a finite np.pad-based convolution on unit basis
    images), and S' = W^2/k^2 sum_d M_d S M_d^T + b^2, pooling P S P^T, Flatten = mean of the
    diagonal; the NTK as the sum over layers of the layer's NNGP pushed through the later
    layers' linear maps;
  * Monte Carlo: finite NumPy CNNs in the NTK parameterisation with 256 channels over hundreds
    of seeds (Relu SAME, AvgPool SAME, VALID strided, CIRCULAR); the empirical NNGP (and for two
    of them the empirical NTK, from hand-written backpropagation) against this reference, with
    z-scores;
  * the fast Gauss-Legendre quadrature used here for Tanh and Gelu on spatial kernels against
    fc's adaptive Gauss-Kronrod quadrature.
"""
import argparse
import math
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_kernels as fc  # noqa: E402  (the fully connected reference: activations, flat layers)

# ---------------------------------------------------------------- spec parsing


def split_top(s, sep):
    """Splits s at sep outside parentheses and quotes."""
    out, depth, cur, quote = [], 0, '', False
    for ch in s:
        if ch == '"':
            quote = not quote
        if ch == sep and depth == 0 and not quote:
            out.append(cur)
            cur = ''
            continue
        depth += ch == '('
        depth -= ch == ')'
        cur += ch
    out.append(cur)
    return out


def parse_layer(tok):
    """'Conv(1.5, 0.05, filter=3x5, padding=VALID)' -> ('Conv', ['1.5', '0.05'], {'filter': '3x5', ...})."""
    m = re.fullmatch(r'(\w+)\s*(?:\((.*)\))?', tok.strip(), re.S)
    name, inner = m.group(1), m.group(2)
    pos, kw = [], {}
    if inner is not None and inner.strip():
        for part in split_top(inner, ','):
            part = part.strip()
            if re.match(r'^\w+\s*=', part):
                k, v = part.split('=', 1)
                kw[k.strip()] = v.strip()
            else:
                pos.append(part)
    return name, pos, kw


def bind(pos, kw, names, defaults):
    vals = dict(zip(names, defaults))
    for n_, v in zip(names, pos):
        vals[n_] = v
    for k, v in kw.items():
        if k not in names:
            raise ValueError(f'unknown parameter {k}')
        vals[k] = v
    return vals


def pair(v):
    """'3' -> (3, 3); '3x5' -> (3, 5); None stays None."""
    if v is None:
        return None
    if isinstance(v, tuple):
        return v
    parts = str(v).lower().split('x')
    return (int(parts[0]), int(parts[-1]))


# Defaults assumed where a spec leaves a parameter out (the architectures below always name
# filter, stride and padding of Conv, so that they do not depend on a default DESIGN.md leaves open).
CONV_PARAMS = (['W_std', 'b_std', 'filter', 'stride', 'padding'], [1.0, 0.0, '3', '1', 'SAME'])
POOL_PARAMS = (['window', 'stride', 'padding'], ['2', None, 'VALID'])  # stride defaults to the window

# ---------------------------------------------------------------- index plans


def axis_plan(L, k, s, padding):
    """Output length and leading padding lo along one axis (DESIGN.md)."""
    if padding == 'VALID':
        return (L - k) // s + 1, 0
    if padding in ('SAME', 'CIRCULAR'):
        out = -(-L // s)
        return out, max((out - 1) * s + k - L, 0) // 2
    raise ValueError(f'unknown padding {padding}')


def source_index(L, k, s, padding):
    """idx[d, o] = the input position read by output o at window offset d: o s + d - lo, taken
    modulo L for CIRCULAR; -1 when it falls outside the image (SAME), which the callers map to
    an appended zero (np.pad(..., (0, 1)) makes index -1 that zero)."""
    out, lo = axis_plan(L, k, s, padding)
    if out <= 0:
        raise ValueError(f'window {k} larger than the image side {L} with VALID padding')
    idx = np.array([[o * s + d - lo for o in range(out)] for d in range(k)])
    if padding == 'CIRCULAR':
        return idx % L
    return np.where((idx >= 0) & (idx < L), idx, -1)


def pad_zero(S):
    """Appends one zero at the end of each spatial axis of an (n, H, W, n, H, W) array."""
    return np.pad(S, [(0, 0), (0, 1), (0, 1), (0, 0), (0, 1), (0, 1)])


def window_sum(S, IH, IW):
    """sum over offsets d = (dh, dw) of S[a, IH[dh, i], IW[dw, j], b, IH[dh, k], IW[dw, l]]:
    the SAME offset at both positions (one filter shared by both images)."""
    n = S.shape[0]
    Sp = pad_zero(S)
    a = np.arange(n)
    out = 0.0
    for dh in range(IH.shape[0]):
        for dw in range(IW.shape[0]):
            out = out + Sp[np.ix_(a, IH[dh], IW[dw], a, IH[dh], IW[dw])]
    return out


def pool_sum(S, IH, IW):
    """sum over BOTH windows independently: offsets d at the first position, d' at the second."""
    n = S.shape[0]
    Sp = pad_zero(S)
    a = np.arange(n)
    out = 0.0
    for dh in range(IH.shape[0]):
        for dw in range(IW.shape[0]):
            for dh2 in range(IH.shape[0]):
                for dw2 in range(IW.shape[0]):
                    out = out + Sp[np.ix_(a, IH[dh], IW[dw], a, IH[dh2], IW[dw2])]
    return out


# ---------------------------------------------------------------- activations on spatial kernels


def _panel_rule(half_width, width, m):
    """Composite Gauss-Legendre nodes on [-half_width, half_width] (panels of `width`, m nodes each),
    weights multiplied by the standard normal density."""
    x, w = np.polynomial.legendre.leggauss(m)
    edges = np.arange(-half_width, half_width + 1e-9, width)
    z = (edges[:-1, None] + (x[None, :] + 1) * width / 2).ravel()
    wz = np.tile(w * width / 2, len(edges) - 1) * np.exp(-z * z / 2) / math.sqrt(2 * math.pi)
    return z, wz


def _npdf(x):
    return np.exp(-x * x / 2) / math.sqrt(2 * math.pi)


def _ncdf(x):
    from scipy.special import ndtr
    return ndtr(x)


# Smooth activations whose expectations are taken here by a vectorised tensor Gauss-Legendre rule
# (fc's adaptive quadrature takes ~0.1 s per triple, too slow for thousands of pixel pairs).
# Tanh's poles at +-i pi/2 sit at distance pi/(2 sqrt(q)) from the real z axis: panels of 0.75 with
# 24 nodes (half-width 0.375) keep the Bernstein-ellipse error near 1e-16 for q up to ~25; --self-check compares
# against fc's adaptive Gauss-Kronrod.
FAST = {
    'Tanh': (np.tanh, lambda x: 1 - np.tanh(x) ** 2, _panel_rule(9.0, 0.75, 24)),
    'Gelu': (lambda x: x * _ncdf(x), lambda x: _ncdf(x) + x * _npdf(x), _panel_rule(9.0, 1.5, 20)),
}


def fast_expect(name, q11, q12, q22, batch=4):
    """E[phi(u) phi(v)] and E[phi'(u) phi'(v)] for arrays of triples by a tensor rule in Cholesky
    coordinates: u = s1 z1, v = s2 (rho z1 + c z2), c = sqrt(1 - rho^2)."""
    phi, dphi, (z, wz) = FAST[name]
    if max(np.max(q11), np.max(q22)) > 30:
        raise ValueError(f'{name}: variance {max(np.max(q11), np.max(q22)):.3g} beyond the range (<= 30) '
                         'where the tensor Gauss-Legendre rule was checked')
    s1, s2 = np.sqrt(q11), np.sqrt(q22)
    den = s1 * s2
    rho = np.where(den > 0, q12 / np.where(den > 0, den, 1.0), 0.0).clip(-1.0, 1.0)
    c = np.sqrt(np.maximum(0.0, 1 - rho * rho))
    K, D = np.empty(len(q11)), np.empty(len(q11))
    for lo in range(0, len(q11), batch):
        sl = slice(lo, lo + batch)
        u = s1[sl, None] * z[None, :]                                               # (b, N)
        v = s2[sl, None, None] * (rho[sl, None, None] * z[None, :, None] + c[sl, None, None] * z[None, None, :])
        for f, dst in ((phi, K), (dphi, D)):
            inner = f(v) @ wz                                                       # (b, N): E[f(v) | z1]
            dst[sl] = (f(u) * inner) @ wz
    return K, D


def act_expect(name, q11, q12, q22):
    """Both expectations for arrays of triples; each distinct triple is evaluated once."""
    trip = np.stack([q11.ravel(), q12.ravel(), q22.ravel()], axis=1)
    uniq, inv = np.unique(trip, axis=0, return_inverse=True)
    if name in FAST:
        k, d = fast_expect(name, uniq[:, 0], uniq[:, 1], uniq[:, 2])
    else:
        f = fc.ACTIVATIONS[name][0]
        kd = np.array([f(*t) for t in uniq.tolist()]).reshape(-1, 2)
        k, d = kd[:, 0], kd[:, 1]
    inv = inv.ravel()
    return k[inv].reshape(q11.shape), d[inv].reshape(q11.shape)


def pixel_variances(S):
    """v[a, i, j] = S[a, i, j, a, i, j]."""
    return np.einsum('aijaij->aij', S)


# ---------------------------------------------------------------- the recursion


FLAT_ONLY = ('Dense', 'LayerNorm', 'Residual')


def apply_spatial(toks, S, T):
    """Applies layer tokens to the spatial state; returns ('spatial', S, T) or, once a Flatten or
    GlobalAvgPool has been met and the rest applied by fc, ('flat', K, T)."""
    for i, tok in enumerate(toks):
        name, pos, kw = parse_layer(tok)
        n, H, W = S.shape[:3]
        if name == 'Conv':
            p = bind(pos, kw, *CONV_PARAMS)
            w, b = float(p['W_std']), float(p['b_std'])
            (kh, kw_), (sh, sw) = pair(p['filter']), pair(p['stride'])
            pad = p['padding'].upper()
            IH, IW = source_index(H, kh, sh, pad), source_index(W, kw_, sw, pad)
            S_new = w * w / (kh * kw_) * window_sum(S, IH, IW) + b * b
            T = S_new + w * w / (kh * kw_) * window_sum(T, IH, IW)
            S = S_new
        elif name == 'AvgPool':
            p = bind(pos, kw, *POOL_PARAMS)
            wh, ww = pair(p['window'])
            sh, sw = pair(p['stride']) if p['stride'] is not None else (wh, ww)
            pad = p['padding'].upper()
            IH, IW = source_index(H, wh, sh, pad), source_index(W, ww, sw, pad)
            S = pool_sum(S, IH, IW) / (wh * ww) ** 2
            T = pool_sum(T, IH, IW) / (wh * ww) ** 2
        elif name in ('GlobalAvgPool', 'Flatten'):
            if name == 'GlobalAvgPool':
                K, Tf = S.mean(axis=(1, 2, 4, 5)), T.mean(axis=(1, 2, 4, 5))
            else:
                K, Tf = np.einsum('aijbij->ab', S) / (H * W), np.einsum('aijbij->ab', T) / (H * W)
            q = np.diag(K).copy()
            K, Tf, _, _ = fc.apply(' '.join(toks[i + 1:]), K, Tf, q, q.copy())
            return 'flat', K, Tf
        elif name == 'Dense':  # per pixel: a 1 x 1 convolution without filter division
            args = [float(a) for a in pos] + [float(kw[k]) for k in ('W_std', 'b_std') if k in kw]
            w, b = (args + [1.0, 0.0][len(args):])[:2]
            S = w * w * S + b * b
            T = S + w * w * T
        elif name == 'Residual':
            branch = fc.tokens(tok[tok.index('(') + 1:tok.rindex(')')])
            kind, Sf, Tf = apply_spatial(branch, S.copy(), T.copy())
            if kind != 'spatial':
                raise ValueError('a Residual branch must stay spatial on a spatial kernel')
            S, T = S + Sf, T + Tf
        elif name == 'LayerNorm':  # per pixel over channels (axis=-1)
            v = pixel_variances(S)
            s = np.sqrt(v[:, :, :, None, None, None] * v[None, None, None, :, :, :])
            nz = s > 0
            S = np.where(nz, S / np.where(nz, s, 1.0), S)
            T = np.where(nz, T / np.where(nz, s, 1.0), T)
        else:  # an activation, per pixel pair
            v = pixel_variances(S)
            q11 = np.broadcast_to(v[:, :, :, None, None, None], S.shape)
            q22 = np.broadcast_to(v[None, None, None, :, :, :], S.shape)
            bound = np.sqrt(q11 * q22)
            q12 = np.clip(S, -bound, bound)
            Kn, D = act_expect(tok, q11, q12, q22)
            S, T = Kn, T * D
    return 'spatial', S, T


def input_kernel(X):
    """S0[a, p, b, p'] = sum_c x_a[p, c] x_b[p', c] / C for X of shape (n, H, W, C)."""
    X = np.asarray(X, dtype=float)
    if X.ndim == 3:
        X = X[..., None]
    return np.einsum('aijc,bklc->aijbkl', X, X) / X.shape[3]


def reference(spec, X):
    """NNGP and NTK (n x n) of the network `spec` on images X (n, H, W, C) or (n, H, W)."""
    S = input_kernel(X)
    kind, K, T = apply_spatial(fc.tokens(spec), S, np.zeros_like(S))
    if kind != 'flat':
        raise ValueError('the network must end flat (Flatten or GlobalAvgPool)')
    return K, T


def activation_names(spec):
    names = []
    for tok in fc.tokens(spec):
        name = parse_layer(tok)[0]
        if name == 'Residual':
            names += activation_names(tok[tok.index('(') + 1:tok.rindex(')')])
        elif name not in ('Conv', 'AvgPool', 'GlobalAvgPool', 'Flatten', 'Dense', 'LayerNorm'):
            names.append(tok)
    return names


# ---------------------------------------------------------------- architectures and data


def images(rng, H, W, C, n=6):
    X = rng.standard_normal((n, H, W, C))
    X[1] = X[0]          # duplicate: rho = 1
    X[3] = -X[2]         # negated: rho = -1
    X[4] = 0.0           # zero image: zero variance where b_std = 0
    X[5] *= 1.7          # larger norm
    return X


def architectures():
    """(spec, (H, W, C), save the images as (n, H, W) when C = 1). Every activation follows a Conv or
    Dense, possibly through pooling (DESIGN.md: activations' outputs are not Gaussian, so
    `Relu AvgPool Erf` would be a different, ill-posed network)."""
    return [
        ('Conv(1.5, 0.05, filter=3, stride=1, padding=SAME) Relu Conv(1.5, 0.05, filter=3x5, stride=2x1, padding=VALID) '
         'AvgPool(window=2, padding=SAME) Erf Conv(1, 0.1, filter=3, stride=1, padding=SAME) Gelu GlobalAvgPool Dense(1, 0)',
         (8, 8, 3), False),
        ('Conv(1.5, 0.1, filter=3, stride=1, padding=CIRCULAR) Relu Conv(1.5, 0.1, filter=3, stride=1, padding=CIRCULAR) Relu '
         'Flatten Dense(1, 0)', (6, 6, 1), True),
        ('Conv(2, 0, filter=1, stride=1, padding=VALID) Relu Flatten Dense(1, 0)', (5, 7, 3), False),
        ('Conv(1.3, 0.2, filter=5, stride=2, padding=SAME) Erf Conv(1.2, 0.1, filter=2, stride=1, padding=VALID) Relu '
         'GlobalAvgPool Dense(1, 0.1)', (8, 8, 1), False),
        ('Conv(1.5, 0.05, filter=4, stride=2, padding=CIRCULAR) Relu Conv(1.4, 0.1, filter=3, stride=1, padding=SAME) '
         'AvgPool(window=2) Relu Flatten Dense(1, 0)', (8, 8, 3), False),
        ('Conv(1.2, 0.1, filter=3, stride=2, padding=VALID) Tanh Conv(1, 0.1, filter=2, stride=1, padding=SAME) Tanh '
         'Flatten Dense(1, 0)', (5, 7, 1), False),
        ('Conv(1.5, 0.1, filter=3, stride=1, padding=SAME) Residual(Relu Conv(1.2, 0.05, filter=3, stride=1, padding=SAME)) '
         'Relu GlobalAvgPool Dense(1, 0)', (6, 6, 3), False),
        ('Conv(1.5, 0.05, filter=3x5, stride=1x2, padding=SAME) Relu GlobalAvgPool Dense(1.5, 0.05) Erf Dense(1, 0)',
         (5, 7, 3), False),
        ('Conv(1, 0, filter=3, stride=1, padding=VALID) AvgPool(window=3, stride=1, padding=SAME) Relu '
         'Conv(1.5, 0, filter=3, stride=1, padding=VALID) Relu Flatten Dense(1, 0)', (8, 8, 1), False),
        ('Conv(1.5, 0.05, filter=2, stride=2, padding=VALID) Gelu Conv(1.2, 0.1, filter=3, stride=1, padding=CIRCULAR) Gelu '
         'GlobalAvgPool Dense(1, 0)', (6, 6, 1), False),
        ('Conv(1, 0.1, filter=3, stride=1, padding=SAME) AvgPool(window=2, stride=2, padding=VALID) '
         'Conv(1.5, 0, filter=3x1, stride=1, padding=CIRCULAR) Flatten Dense(1, 0)', (6, 8, 3), False),
        ('Conv(1.5, 0.1, filter=3, stride=2, padding=SAME) Relu Conv(1.5, 0.1, filter=3, stride=2, padding=SAME) Relu '
         'GlobalAvgPool Dense(1, 0)', (5, 7, 3), False),
        ('Conv(1.5, 0, filter=2, stride=1, padding=SAME) Relu Conv(1.2, 0, filter=3, stride=1, padding=SAME) '
         'AvgPool(window=2x3, stride=1x2, padding=CIRCULAR) Erf Flatten Dense(1, 0)', (5, 7, 1), True),
        ('Conv(1.5, 0.1, filter=3, stride=1, padding=SAME) Relu Dense(1.3, 0.2) Erf Conv(1, 0, filter=3, stride=1, padding=VALID) '
         'Identity Flatten Dense(1, 0.1) Relu Dense(1, 0)', (6, 6, 3), False),
        ('Conv(1.5, 0.1, filter=3, stride=1, padding=SAME) LayerNorm Relu Conv(1.5, 0.1, filter=3, stride=1, padding=SAME) '
         'Relu GlobalAvgPool LayerNorm Dense(1, 0)', (6, 6, 3), False),
        ('Conv(2, 0.1, filter=5, stride=1, padding=SAME) Relu Conv(1.5, 0, filter=5, stride=2, padding=CIRCULAR) '
         'Residual(Erf Conv(1, 0, filter=1, stride=1, padding=VALID)) AvgPool(window=2, padding=VALID) Relu Flatten Dense(1, 0)',
         (7, 7, 1), False),
        # leading AvgPools (Aleph pools the images themselves; here the covariance is pooled)
        ('AvgPool(window=2x3, stride=1x2, padding=CIRCULAR) AvgPool(window=2, padding=SAME) Conv(1.5, 0.1, filter=3, stride=1, '
         'padding=SAME) Relu GlobalAvgPool Dense(1, 0)', (7, 8, 2), False),
    ]


def run_aleph(aleph, spec, x_path, tmp):
    kp, tp = os.path.join(tmp, 'k.npy'), os.path.join(tmp, 't.npy')
    for p in (kp, tp):
        if os.path.exists(p):
            os.remove(p)
    env = dict(os.environ)
    env.setdefault('ALEPH_NO_BUILD', '1')
    r = subprocess.run([aleph, 'kernel', '--net', spec, '--x1', x_path, '--nngp', kp, '--ntk', tp],
                       capture_output=True, text=True, env=env)
    if r.returncode != 0:
        raise RuntimeError(f'aleph failed on {spec}: {r.stderr.strip() or r.stdout.strip()} (exit {r.returncode})')
    return np.load(kp), np.load(tp)


def rel_err(a, ref):
    """max |a - ref| relative to max |ref|."""
    a = np.asarray(a, dtype=float)
    if a.shape != ref.shape:
        return float('inf')
    scale = np.max(np.abs(ref))
    return float(np.max(np.abs(a - ref)) / (scale if scale > 0 else 1.0))


def harness(args):
    archs = [(i, a) for i, a in enumerate(architectures()) if args.only in a[0]]
    failures, worst = 0, {'closed': 0.0, 'quadrature': 0.0}
    with tempfile.TemporaryDirectory() as tmp:
        for index, (spec, (H, W, C), three_d) in archs:
            X = images(np.random.default_rng([20261129, index]), H, W, C)  # the same images with or without --only
            quad = any(not fc.ACTIVATIONS[nm][1] for nm in activation_names(spec))  # Tanh, Sigmoid, ...
            kind = 'quadrature' if quad else 'closed'
            tol = 1e-7 if quad else 1e-9
            shape = f'{X.shape[0]}x{H}x{W}' + ('' if three_d else f'x{C}')
            if not args.reference_only:  # aleph first: no reference time spent on a spec it rejects
                x_path = os.path.join(tmp, 'x.npy')
                np.save(x_path, np.ascontiguousarray(X[..., 0] if three_d else X))
                try:
                    K, T = run_aleph(args.aleph, spec, x_path, tmp)
                except RuntimeError as e:
                    print(f'FAIL {"":9s} (tol {tol:.0e}, {kind:10s}) {shape:10s} {e}')
                    failures += 1
                    continue
            t0 = time.time()
            Kr, Tr = reference(spec, X)
            t_ref = time.time() - t0
            if args.reference_only:
                print(f'ref  {t_ref:5.1f}s {shape:10s} {spec}')
                if args.verbose:
                    print('  K =', np.array2string(Kr, precision=6, max_line_width=200).replace('\n', '\n      '))
                    print('  T =', np.array2string(Tr, precision=6, max_line_width=200).replace('\n', '\n      '))
                continue
            ek, et = rel_err(K, Kr), rel_err(T, Tr)
            e = max(ek, et)
            worst[kind] = max(worst[kind], e)
            ok = e <= tol
            failures += not ok
            print(f'{"ok  " if ok else "FAIL"} {e:9.2e} (tol {tol:.0e}, {kind:10s}) {shape:10s} {spec}')
            if args.verbose or not ok:
                print(f'      nngp {ek:.2e}  ntk {et:.2e}; reference {t_ref:.1f}s')
                if not ok:
                    print('      aleph K =', np.array2string(np.asarray(K), precision=8, max_line_width=200))
                    print('      ref   K =', np.array2string(Kr, precision=8, max_line_width=200))
    if args.reference_only:
        return 0
    print(f'{len(archs)} architectures: max relative error {worst["closed"]:.2e} (closed forms), '
          f'{worst["quadrature"]:.2e} (quadrature); {len(archs) - failures} passed, {failures} failed')
    return 1 if failures else 0


# ---------------------------------------------------------------- self-check: finite networks


def same_pads(L, k, s, padding):
    """(before, after, out) the way TensorFlow / JAX pad: total = max((out-1) s + k - L, 0),
    the extra one at the end. Written independently of source_index above."""
    if padding == 'VALID':
        return 0, 0, (L - k) // s + 1
    out = math.ceil(L / s)
    total = max((out - 1) * s + k - L, 0)
    return total // 2, total - total // 2, out


def pad_image(Y, kh, kw, sh, sw, padding):
    """Pads (n, H, W, C) images for a window kh x kw: zeros (SAME) or wrap-around (CIRCULAR)."""
    _, H, W, _ = Y.shape
    bh, ah, oh = same_pads(H, kh, sh, padding)
    bw, aw, ow = same_pads(W, kw, sw, padding)
    mode = 'wrap' if padding == 'CIRCULAR' else 'constant'
    return np.pad(Y, [(0, 0), (bh, ah), (bw, aw), (0, 0)], mode=mode), oh, ow


def patches(Y, kh, kw, sh, sw, padding):
    """(n, oh, ow, kh, kw, C): the input window of each output position."""
    Yp, oh, ow = pad_image(Y, kh, kw, sh, sw, padding)
    out = np.empty((Y.shape[0], oh, ow, kh, kw, Y.shape[3]))
    for i in range(oh):
        for j in range(ow):
            out[:, i, j] = Yp[:, i * sh:i * sh + kh, j * sw:j * sw + kw, :]
    return out


def unpatch(G, shape, kh, kw, sh, sw, padding):
    """Adjoint of patches: scatters (n, oh, ow, kh, kw, C) back onto (n, H, W, C) images."""
    n, H, W, C = shape
    bh, ah, oh = same_pads(H, kh, sh, padding)
    bw, aw, ow = same_pads(W, kw, sw, padding)
    Gp = np.zeros((n, H + bh + ah, W + bw + aw, C))
    for i in range(oh):
        for j in range(ow):
            Gp[:, i * sh:i * sh + kh, j * sw:j * sw + kw, :] += G[:, i, j]
    if padding == 'CIRCULAR':
        out = np.zeros((n, H, W, C))
        for r in range(Gp.shape[1]):
            for c in range(Gp.shape[2]):
                out[:, (r - bh) % H, (c - bw) % W] += Gp[:, r, c]
        return out
    return Gp[:, bh:bh + H, bw:bw + W]


class FiniteCNN:
    """A finite CNN in the NTK parameterisation, z = W_std / sqrt(C_in kh kw) conv(W, y) + b_std b
    (Dense: z = W_std / sqrt(fan_in) W y + b_std b), W, b ~ N(0, 1), with its forward pass and a
    hand-written backward pass for the empirical NTK."""

    def __init__(self, layers, rng, width, in_shape):
        self.layers, self.params = layers, []
        H, W, c = in_shape
        for L in layers:
            if L[0] == 'Conv':
                _, w, b, (kh, kw), (sh, sw), pad, cout = L
                cout = cout or width
                self.params.append((rng.standard_normal((kh, kw, c, cout)), rng.standard_normal(cout)))
                H, W, c = same_pads(H, kh, sh, pad)[2], same_pads(W, kw, sw, pad)[2], cout
            elif L[0] == 'Dense':
                _, w, b, cout = L
                cout = cout or width
                self.params.append((rng.standard_normal((c, cout)), rng.standard_normal(cout)))
                c = cout
            else:
                self.params.append(None)
                if L[0] == 'AvgPool':
                    _, (wh, ww), (sh, sw), pad = L
                    H, W = same_pads(H, wh, sh, pad)[2], same_pads(W, ww, sw, pad)[2]
                elif L[0] == 'Flatten':
                    H, W, c = 1, 1, H * W * c
                elif L[0] == 'GlobalAvgPool':
                    H, W = 1, 1

    def forward(self, X):
        """Returns the readout (n, n_out) and the tape for backprop."""
        y, tape = X, []
        for L, P in zip(self.layers, self.params):
            tape.append(y)
            if L[0] == 'Conv':
                _, w, b, (kh, kw), (sh, sw), pad, _ = L
                pt = patches(y, kh, kw, sh, sw, pad)
                c = w / math.sqrt(y.shape[3] * kh * kw)
                y = c * np.tensordot(pt, P[0], axes=3) + b * P[1]
            elif L[0] == 'Relu':
                y = np.maximum(y, 0)
            elif L[0] == 'AvgPool':
                _, (wh, ww), (sh, sw), pad = L
                y = patches(y, wh, ww, sh, sw, pad).mean(axis=(3, 4))
            elif L[0] == 'Flatten':
                y = y.reshape(y.shape[0], -1)
            elif L[0] == 'GlobalAvgPool':
                y = y.mean(axis=(1, 2))
            elif L[0] == 'Dense':
                _, w, b, _ = L
                y = w / math.sqrt(y.shape[-1]) * y @ P[0] + b * P[1]
        return y, tape

    def readout_kernel(self, X):
        """E[f_a f_b | the hidden layers] for the last (Dense) layer: W^2 y_a.y_b / fan_in + b^2."""
        _, tape = self.forward(X)
        y = tape[-1]
        _, w, b, _ = self.layers[-1]
        return w * w * (y @ y.T) / y.shape[1] + b * b

    def ntk(self, X):
        """Empirical NTK of readout unit 0 (sum over all parameters of df_a/dtheta df_b/dtheta),
        by backpropagation written out layer by layer."""
        out, tape = self.forward(X)
        n = X.shape[0]
        # g[a] = d f_a / d (layer output), one row per image (each image's own output)
        g = np.zeros_like(out)
        g[:, 0] = 1.0
        ntk = np.zeros((n, n))
        for L, P, y in reversed(list(zip(self.layers, self.params, tape))):
            if L[0] == 'Dense':
                _, w, b, _ = L
                c = w / math.sqrt(y.shape[1])
                gw = c * y[:, :, None] * g[:, None, :]              # d f_a / d W, (n, in, out)
                gw = gw.reshape(len(gw), -1)
                ntk += gw @ gw.T + b * b * g @ g.T
                g = c * g @ P[0].T
            elif L[0] == 'Conv':
                _, w, b, (kh, kw), (sh, sw), pad, _ = L
                pt = patches(y, kh, kw, sh, sw, pad)
                c = w / math.sqrt(y.shape[3] * kh * kw)
                gw = c * np.einsum('nijabc,nijo->nabco', pt, g, optimize=True).reshape(len(g), -1)
                gb = b * g.sum(axis=(1, 2))
                ntk += gw @ gw.T + gb @ gb.T
                g = unpatch(c * np.tensordot(g, P[0], axes=([3], [3])), y.shape, kh, kw, sh, sw, pad)
            elif L[0] == 'Relu':
                g = g * (y > 0)
            elif L[0] == 'AvgPool':
                _, (wh, ww), (sh, sw), pad = L
                G = np.broadcast_to(g[:, :, :, None, None, :] / (wh * ww), g.shape[:3] + (wh, ww, g.shape[3]))
                g = unpatch(G, y.shape, wh, ww, sh, sw, pad)
            elif L[0] == 'Flatten':
                g = g.reshape(y.shape)
            elif L[0] == 'GlobalAvgPool':
                g = np.broadcast_to(g[:, None, None, :] / (y.shape[1] * y.shape[2]), y.shape)
        return ntk


def parse_finite(spec):
    """The spec as tuples for FiniteCNN (Conv, Relu, AvgPool, Flatten, GlobalAvgPool, Dense, Identity)."""
    out = []
    for tok in fc.tokens(spec):
        name, pos, kw = parse_layer(tok)
        if name == 'Conv':
            p = bind(pos, kw, *CONV_PARAMS)
            out.append(('Conv', float(p['W_std']), float(p['b_std']), pair(p['filter']), pair(p['stride']),
                        p['padding'].upper(), None))
        elif name == 'AvgPool':
            p = bind(pos, kw, *POOL_PARAMS)
            out.append(('AvgPool', pair(p['window']), pair(p['stride'] or p['window']), p['padding'].upper()))
        elif name == 'Dense':
            args = [float(a) for a in pos]
            w, b = (args + [1.0, 0.0][len(args):])[:2]
            out.append(('Dense', w, b, None))
        elif name == 'Identity':
            continue
        else:
            out.append((name,))
    return out


def monte_carlo(spec, X, width, seeds, rng, with_ntk):
    layers = parse_finite(spec)
    layers[-1] = layers[-1][:3] + (8,)  # eight readout units: their conditional kernel is exact anyway
    ks, ts = [], []
    for _ in range(seeds):
        net = FiniteCNN(layers, rng, width, X.shape[1:])
        ks.append(net.readout_kernel(X))
        if with_ntk:
            ts.append(net.ntk(X))
    ks = np.array(ks)
    res = [(ks.mean(0), ks.std(0, ddof=1) / math.sqrt(seeds))]
    if with_ntk:
        ts = np.array(ts)
        res.append((ts.mean(0), ts.std(0, ddof=1) / math.sqrt(seeds)))
    return res


# ---------------------------------------------------------------- self-check: explicit matrices


def conv_matrices(H, W, kh, kw, sh, sw, pad):
    """M[d] (out positions x in positions) for each filter offset d, found by running the finite
    patch extraction above on unit basis images (not the reference's index arrays)."""
    E = np.eye(H * W).reshape(H * W, H, W, 1)
    P = patches(E, kh, kw, sh, sw, pad)                 # (basis, oh, ow, kh, kw, 1)
    oh, ow = P.shape[1:3]
    return [P[:, :, :, dh, dw, 0].reshape(H * W, oh * ow).T for dh in range(kh) for dw in range(kw)], (oh, ow)


def linear_exact(spec, X):
    """Exact NNGP and NTK of a network without activations (Conv, AvgPool, Dense per pixel,
    Flatten, GlobalAvgPool, then Dense) from explicit matrices. Per image pair (a, b) the state is
    an (HW x HW) block; the operators act on the left for image a and on the right for image b."""
    n, H, W, C = X.shape
    Xf = X.reshape(n, H * W, C)
    S = np.einsum('apc,bqc->abpq', Xf, Xf) / C         # (n, n, HW, HW)
    T = np.zeros_like(S)
    layers = parse_finite(spec)
    contributions = []                                  # per parameter layer: [its NNGP, then maps]

    def push(fun):
        nonlocal S
        S = fun(S)
        for c in contributions:
            c[0] = fun(c[0])

    for L in layers:
        if L[0] == 'Conv':
            _, w, b, (kh, kw), (sh, sw), pad, _ = L
            Ms, (H, W) = conv_matrices(H, W, kh, kw, sh, sw, pad)
            lin = lambda A, Ms=Ms, f=w * w / (kh * kw): f * sum(np.einsum('op,abpq,rq->abor', M, A, M) for M in Ms)
            for c in contributions:
                c[0] = lin(c[0])
            S = lin(S) + b * b
            contributions.append([S.copy()])
        elif L[0] == 'AvgPool':
            _, (wh, ww), (sh, sw), pad = L
            Ms, (H, W) = conv_matrices(H, W, wh, ww, sh, sw, pad)
            Pm = sum(Ms) / (wh * ww)
            push(lambda A, Pm=Pm: np.einsum('op,abpq,rq->abor', Pm, A, Pm))
        elif L[0] == 'Flatten':
            push(lambda A: np.einsum('abpp->ab', A)[:, :, None, None] / A.shape[2])
            H, W = 1, 1
        elif L[0] == 'GlobalAvgPool':
            push(lambda A: A.mean(axis=(2, 3))[:, :, None, None])
            H, W = 1, 1
        elif L[0] == 'Dense':
            _, w, b, _ = L
            for c in contributions:
                c[0] = w * w * c[0]
            S = w * w * S + b * b
            contributions.append([S.copy()])
        else:
            raise ValueError(f'not linear: {L}')
    T = sum(c[0] for c in contributions)
    return S[:, :, 0, 0], T[:, :, 0, 0]


def quadrature_check():
    """FAST Gauss-Legendre against fc's adaptive Gauss-Kronrod on a few triples."""
    trip = [(1.0, 0.3, 0.8), (2.5, -2.5, 2.5), (4.0, 4.0, 4.0), (0.0, 0.0, 1.3), (9.0, 5.0, 16.0),
            (20.0, -7.0, 3.0), (0.01, 0.004, 0.02), (2.0, 1.999999, 2.0)]
    worst = 0.0
    for name in FAST:
        ref = fc.ACTIVATIONS[name][0]
        q = np.array(trip)
        k, d = fast_expect(name, q[:, 0], q[:, 1], q[:, 2])
        for t, kk, dd in zip(trip, k, d):
            rk, rd = ref(*t)
            e = max(abs(kk - rk) / max(abs(rk), 1e-300), abs(dd - rd) / max(abs(rd), 1e-300))
            worst = max(worst, e)
            print(f'  {name:5s} q=({t[0]:g}, {t[1]:g}, {t[2]:g}): E[phi phi] {kk:.15g} vs {rk:.15g}, '
                  f"E[phi' phi'] {dd:.15g} vs {rd:.15g}; rel {e:.1e}")
    return worst


def self_check(args):
    rng = np.random.default_rng(7)
    ok = True
    print('1. Gauss-Legendre tensor rule (Tanh, Gelu) vs fc adaptive Gauss-Kronrod:')
    w = quadrature_check()
    print(f'   worst relative difference {w:.1e} (limit 1e-10)')
    ok &= w < 1e-10

    print('2. Linear networks: reference vs explicit operator matrices (exact)')
    lin_specs = [
        ('Conv(1.5, 0.1, filter=3, stride=1, padding=SAME) Conv(1.2, 0.2, filter=3x5, stride=2x1, padding=VALID) '
         'AvgPool(window=2, padding=SAME) Conv(1, 0.1, filter=3, stride=1, padding=CIRCULAR) GlobalAvgPool Dense(1, 0)', (8, 8, 3)),
        ('Conv(1.3, 0.05, filter=4, stride=2, padding=CIRCULAR) Identity Dense(1.1, 0.3) '
         'AvgPool(window=3, stride=1, padding=SAME) Conv(0.9, 0, filter=2, stride=1, padding=SAME) Flatten Dense(1.2, 0.1)', (7, 5, 2)),
        ('Conv(2, 0, filter=5, stride=2, padding=SAME) AvgPool(window=2x3, stride=1x2, padding=CIRCULAR) '
         'Conv(1, 0.5, filter=1, stride=1, padding=VALID) Flatten Dense(1, 0)', (6, 7, 1)),
    ]
    for spec, (H, W, C) in lin_specs:
        X = images(rng, H, W, C)
        Kr, Tr = reference(spec, X)
        Ke, Te = linear_exact(spec, X)
        e = max(rel_err(Kr, Ke), rel_err(Tr, Te))
        print(f'   {"ok  " if e < 1e-12 else "FAIL"} rel {e:.1e}  {H}x{W}x{C}  {spec}')
        ok &= e < 1e-12

    print('3. Monte Carlo: finite CNNs (NTK parameterisation), mean over seeds vs reference, z = (MC - ref) / s.e.')
    mc_specs = [
        ('Conv(1.5, 0.1, filter=3, stride=1, padding=SAME) Relu Conv(1.5, 0.1, filter=3, stride=1, padding=SAME) Relu '
         'Flatten Dense(1, 0)', (5, 5, 2), 256, 300, True),
        ('Conv(1.5, 0.1, filter=3, stride=1, padding=SAME) Relu AvgPool(window=2, padding=SAME) '
         'Conv(1.4, 0.05, filter=3, stride=2, padding=VALID) Relu GlobalAvgPool Dense(1, 0)', (7, 7, 1), 256, 300, True),
        ('Conv(1.5, 0, filter=3x2, stride=2, padding=VALID) Relu Conv(1.3, 0.1, filter=2, stride=1, padding=CIRCULAR) '
         'AvgPool(window=2, stride=1, padding=VALID) Relu GlobalAvgPool Dense(1, 0.1)', (6, 7, 3), 256, 300, False),
    ]
    for spec, (H, W, C), width, seeds, with_ntk in mc_specs:
        X = images(rng, H, W, C, n=6)[[0, 2, 3, 4, 5]]   # drop the duplicate: its entries repeat
        X[4] = rng.standard_normal((H, W, C))
        t0 = time.time()
        Kr, Tr = reference(spec, X)
        res = monte_carlo(spec, X, width, seeds, rng, with_ntk)
        iu = np.triu_indices(X.shape[0])
        for label, (mean, se), ref in zip(('NNGP', 'NTK'), res, (Kr, Tr)):
            z = np.where(se[iu] > 0, (mean[iu] - ref[iu]) / np.where(se[iu] > 0, se[iu], 1), 0.0)
            exact = np.abs(mean[iu] - ref[iu])[se[iu] == 0]
            zmax = float(np.max(np.abs(z)))
            good = zmax < 4.0 and (exact.size == 0 or exact.max() < 1e-12 * np.abs(ref).max())
            ok &= good
            print(f'   {"ok  " if good else "FAIL"} {label}: max |z| {zmax:.2f} over {len(z)} entries, rms z '
                  f'{math.sqrt(float(np.mean(z * z))):.2f}, mean rel s.e. {float(np.mean(se[iu] / np.abs(ref[iu]).clip(1e-12))):.1e}'
                  f'  (width {width}, {seeds} seeds, {time.time() - t0:.0f}s)  {H}x{W}x{C}  {spec}')
            if args.verbose:
                print('        z =', np.array2string(z, precision=2, max_line_width=200))
    print('self-check', 'passed' if ok else 'FAILED')
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument('--aleph', default=os.path.join(root, 'aleph'))
    ap.add_argument('--only', default='', help='run only architectures whose spec contains this')
    ap.add_argument('--verbose', action='store_true')
    ap.add_argument('--reference-only', action='store_true', help='compute the reference kernels without aleph')
    ap.add_argument('--self-check', action='store_true', help='check the reference itself (matrices, Monte Carlo)')
    args = ap.parse_args()
    if args.self_check:
        return self_check(args)
    return harness(args)


if __name__ == '__main__':
    sys.exit(main())
