#!/usr/bin/env python3
"""Independent reference for `aleph kernel`: the NNGP and NTK recursion of DESIGN.md written
again in NumPy, with every activation's expectations either from a closed form written here
from the literature (independently of the Java code) or by nested adaptive Gauss-Kronrod
quadrature (scipy.integrate.quad, split at kinks) for activations without one.

Usage:
  python3 tools/reference/reference_kernels.py [--aleph ./aleph] [--only SUBSTRING] [--verbose]

Runs `aleph kernel` on a few dozen architectures (every built-in activation, depths 1-4,
Residual, LayerNorm) on inputs with duplicate rows (rho = 1), a negated row (rho = -1), a
zero row and large and small norms, and prints the maximal relative error of each against
this reference. Exit status 1 when a closed-form architecture is off by more than 1e-9 or a
quadrature one by more than 1e-7.

References: Cho & Saul 2009 (arc-cosine kernels), Williams 1997 (erf), Lee et al. 2018
(NNGP recursion), Jacot et al. 2018 / Arora et al. 2019 (NTK recursion), Isserlis 1918
(Gaussian moments).
"""
import argparse
import math
import os
import subprocess
import sys
import tempfile

import warnings

import numpy as np
from scipy import integrate

warnings.filterwarnings('ignore', category=integrate.IntegrationWarning)

TWO_PI = 2 * math.pi


def dfact(k):
    """(k)!! with (-1)!! = 1."""
    r = 1
    while k > 1:
        r *= k
        k -= 2
    return r


def moment(i, j, q11, q12, q22):
    """E[u^i v^j] by Isserlis: pair k u's with k v's, the rest among themselves."""
    s = 0.0
    for k in range(0, min(i, j) + 1):
        if (i - k) % 2 or (j - k) % 2:
            continue
        s += (math.comb(i, k) * math.comb(j, k) * math.factorial(k) * q12 ** k
              * dfact(i - k - 1) * q11 ** ((i - k) // 2) * dfact(j - k - 1) * q22 ** ((j - k) // 2))
    return s


def poly_expect(c, q11, q12, q22):
    return sum(c[i] * c[j] * moment(i, j, q11, q12, q22)
               for i in range(len(c)) for j in range(len(c)) if c[i] and c[j])


def poly_deriv(c):
    return [i * c[i] for i in range(1, len(c))]


def hermite_coeffs(n):
    """He_n(x) / sqrt(n!) as power-series coefficients (He_{k+1} = x He_k - k He_{k-1})."""
    prev, cur = [1.0], [0.0, 1.0]
    if n == 0:
        return [1.0]
    for k in range(1, n):
        nxt = [0.0] + cur
        for i, a in enumerate(prev):
            nxt[i] -= k * a
        prev, cur = cur, nxt
    return [a / math.sqrt(math.factorial(n)) for a in cur]


def corr(q11, q12, q22):
    s = math.sqrt(q11 * q22)
    return (0.0 if s == 0 else max(-1.0, min(1.0, q12 / s))), s


def arccos_j(q11, q12, q22):
    rho, s = corr(q11, q12, q22)
    t = math.acos(rho)
    return s / TWO_PI * (math.sin(t) + (math.pi - t) * rho), (math.pi - t) / TWO_PI


def abrelu(a, b):
    def f(q11, q12, q22):
        jp, dp = arccos_j(q11, q12, q22)
        jm, dm = arccos_j(q11, -q12, q22)
        return (a * a + b * b) * jp - 2 * a * b * jm, (a * a + b * b) * dp + 2 * a * b * dm
    return f


def erf_act(a=1.0, b=1.0, c=0.0):
    def f(q11, q12, q22):
        A = 1 + 2 * b * b * q11
        B = 1 + 2 * b * b * q22
        k = a * a * 2 / math.pi * math.asin(max(-1.0, min(1.0, 2 * b * b * q12 / math.sqrt(A * B)))) + c * c
        dk = a * a * 4 * b * b / math.pi / math.sqrt(A * B - 4 * b ** 4 * q12 * q12)
        return k, dk
    return f


def sin_act(a=1.0, b=1.0, c=0.0):
    def f(q11, q12, q22):
        minus = math.exp(-b * b * (q11 - 2 * q12 + q22) / 2)
        plus = math.exp(-b * b * (q11 + 2 * q12 + q22) / 2)
        return (a * a / 2 * (minus - plus * math.cos(2 * c)),
                a * a * b * b / 2 * (minus + plus * math.cos(2 * c)))
    return f


def cos_act(q11, q12, q22):
    minus = math.exp(-(q11 - 2 * q12 + q22) / 2)
    plus = math.exp(-(q11 + 2 * q12 + q22) / 2)
    return (minus + plus) / 2, (minus - plus) / 2


def exp_act(a=1.0, b=1.0):
    def f(q11, q12, q22):
        e = math.exp(b * b * (q11 + 2 * q12 + q22) / 2)
        return a * a * e, a * a * b * b * e
    return f


def gaussian_act(a=1.0, b=-1.0):
    def f(q11, q12, q22):
        S = np.array([[q11, q12], [q12, q22]])
        M = np.eye(2) - 2 * b * S
        det = np.linalg.det(M)
        Sp = S @ np.linalg.inv(M)
        return a * a / math.sqrt(det), 4 * a * a * b * b * Sp[0, 1] / math.sqrt(det)
    return f


def sign_act(q11, q12, q22):
    rho, s = corr(q11, q12, q22)
    return (2 / math.pi * math.asin(rho) if s > 0 else 0.0), 0.0


def poly_act(c):
    dc = poly_deriv(c)
    return lambda q11, q12, q22: (poly_expect(c, q11, q12, q22), poly_expect(dc, q11, q12, q22))


def identity_act(q11, q12, q22):
    return q12, 1.0


# ---------------------------------------------------------------- quadrature reference

LIM = 14.0  # the Gaussian weight beyond 14 sigma is below 1e-42


def quad_expect(f, kinks, q11, q12, q22):
    """E[f(u) f(v)] by nested adaptive Gauss-Kronrod in Cholesky coordinates, split at kinks."""
    s1, s2 = math.sqrt(q11), math.sqrt(q22)
    rho, _ = corr(q11, q12, q22)
    c = math.sqrt(max(0.0, 1 - rho * rho))
    nd = lambda z: math.exp(-0.5 * z * z) / math.sqrt(TWO_PI)

    def inner(z1):
        if c < 1e-7 or s2 == 0:  # v is (almost) a function of z1: expand to first order is not needed at this size
            if c == 0 or s2 == 0:
                return f(s2 * rho * z1)
        pts = sorted(set((k / s2 - rho * z1) / c for k in kinks if s2 > 0 and abs((k / s2 - rho * z1) / c) < LIM))
        return integrate.quad(lambda z2: f(s2 * (rho * z1 + c * z2)) * nd(z2), -LIM, LIM,
                              points=pts or None, epsabs=1e-15, epsrel=1e-13, limit=400)[0]

    if s1 == 0:
        return f(0.0) * inner(0.0)
    pts = sorted(set(k / s1 for k in kinks if abs(k / s1) < LIM))
    # kinks of the inner integrand in z1 (where v's kink crosses the rho line) do not occur for c > 0
    if c < 1e-7:
        pts = sorted(set(pts + [k / (s2 * rho) for k in kinks if s2 > 0 and rho != 0 and abs(k / (s2 * rho)) < LIM]))
    return integrate.quad(lambda z1: f(s1 * z1) * nd(z1) * inner(z1), -LIM, LIM,
                          points=pts or None, epsabs=1e-15, epsrel=1e-13, limit=400)[0]


def quad_act(phi, dphi, kinks=()):
    return lambda q11, q12, q22: (quad_expect(phi, kinks, q11, q12, q22), quad_expect(dphi, kinks, q11, q12, q22))


def sigmoid(x):
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


def softplus(x):
    return x + math.log1p(math.exp(-x)) if x > 0 else math.log1p(math.exp(x))


SELU_A, SELU_L = 1.6732632423543772, 1.0507009873554805
NORM_CDF = lambda x: 0.5 * math.erfc(-x / math.sqrt(2))
NORM_PDF = lambda x: math.exp(-0.5 * x * x) / math.sqrt(TWO_PI)


def mish(x):
    return x * math.tanh(softplus(x))


def dmish(x):
    sp = softplus(x)
    t = math.tanh(sp)
    return t + x * (1 - t * t) * sigmoid(x)


def rect_mono(n):
    phi = (lambda x: 1.0 if x > 0 else 0.0) if n == 0 else (lambda x: x ** n if x > 0 else 0.0)
    dphi = (lambda x: 0.0) if n == 0 else (lambda x: n * x ** (n - 1) if x > 0 else 0.0)
    if n == 0:
        return lambda q11, q12, q22: (arccos_j(q11, q12, q22)[1], 0.0)
    return quad_act(phi, dphi, (0.0,))


ACTIVATIONS = {
    # name: (expectation function, is_closed_form_reference)
    'Identity': (identity_act, True),
    'Relu': (abrelu(0.0, 1.0), True),
    'LeakyRelu(0.1)': (abrelu(0.1, 1.0), True),
    'LeakyRelu': (abrelu(0.01, 1.0), True),
    'ABRelu(-0.5, 2)': (abrelu(-0.5, 2.0), True),
    'Abs': (abrelu(-1.0, 1.0), True),
    'Erf': (erf_act(), True),
    'Erf(2, 0.5, 0.1)': (erf_act(2, 0.5, 0.1), True),
    'Gelu': (quad_act(lambda x: x * NORM_CDF(x), lambda x: NORM_CDF(x) + x * NORM_PDF(x)), True),
    'Sin': (sin_act(), True),
    'Sin(2, 0.5, 0.3)': (sin_act(2, 0.5, 0.3), True),
    'Cos': (cos_act, True),
    'Exp(1, 0.5)': (exp_act(1, 0.5), True),
    'Gaussian': (gaussian_act(), True),
    'Gaussian(2, -0.3)': (gaussian_act(2, -0.3), True),
    'Gabor': (quad_act(lambda x: math.exp(-x * x) * math.sin(x),
                       lambda x: math.exp(-x * x) * (math.cos(x) - 2 * x * math.sin(x))), True),
    'Sign': (sign_act, True),
    'Monomial(0)': (poly_act([1.0]), True),
    'Monomial(1)': (poly_act([0.0, 1.0]), True),
    'Monomial(3)': (poly_act([0.0, 0.0, 0.0, 1.0]), True),
    'Monomial(6)': (poly_act([0.0] * 6 + [1.0]), True),
    'RectifiedMonomial(0)': (rect_mono(0), True),
    'RectifiedMonomial(1)': (abrelu(0.0, 1.0), True),
    'RectifiedMonomial(2)': (rect_mono(2), True),
    'RectifiedMonomial(3)': (rect_mono(3), True),
    'Polynomial(1, -2, 0.5)': (poly_act([1.0, -2.0, 0.5]), True),
    'Polynomial(0.3, 0, 0, 0.1, -0.02)': (poly_act([0.3, 0.0, 0.0, 0.1, -0.02]), True),
    'Hermite(3)': (poly_act(hermite_coeffs(3)), True),
    'Hermite(5)': (poly_act(hermite_coeffs(5)), True),
    'Tanh': (quad_act(math.tanh, lambda x: 1 - math.tanh(x) ** 2), False),
    'Sigmoid': (quad_act(sigmoid, lambda x: sigmoid(x) * (1 - sigmoid(x))), False),
    'Softplus': (quad_act(softplus, sigmoid), False),
    'Silu': (quad_act(lambda x: x * sigmoid(x), lambda x: sigmoid(x) * (1 + x * (1 - sigmoid(x)))), False),
    'Elu': (quad_act(lambda x: x if x > 0 else math.expm1(x), lambda x: 1.0 if x > 0 else math.exp(x), (0.0,)), False),
    'Elu(0.5)': (quad_act(lambda x: x if x > 0 else 0.5 * math.expm1(x), lambda x: 1.0 if x > 0 else 0.5 * math.exp(x), (0.0,)), False),
    'Selu': (quad_act(lambda x: SELU_L * (x if x > 0 else SELU_A * math.expm1(x)),
                      lambda x: SELU_L * (1.0 if x > 0 else SELU_A * math.exp(x)), (0.0,)), False),
    'Mish': (quad_act(mish, dmish), False),
}


# ---------------------------------------------------------------- the recursion

def tokens(spec):
    """Splits a spec into top-level layer strings (Residual(...) kept whole)."""
    out, depth, cur = [], 0, ''
    for ch in spec.strip() + ' ':
        if ch.isspace() and depth == 0:
            if cur:
                out.append(cur)
            cur = ''
            continue
        depth += ch == '('
        depth -= ch == ')'
        cur += ch
    return out


def apply(spec, K, T, q1, q2):
    """Applies the layers of spec to the state (K, T: n1 x n2 arrays; q1, q2: variances)."""
    for layer in tokens(spec):
        if layer.startswith('Dense'):
            args = [float(a) for a in layer[5:].strip('()').split(',') if a.strip()] if '(' in layer else []
            w, b = (args + [1.0, 0.0][len(args):])[:2]
            K = w * w * K + b * b
            T = K + w * w * T
            q1 = w * w * q1 + b * b
            q2 = w * w * q2 + b * b
        elif layer.startswith('Residual('):
            Kf, Tf, q1f, q2f = apply(layer[len('Residual('):-1], K.copy(), T.copy(), q1.copy(), q2.copy())
            K, T, q1, q2 = K + Kf, T + Tf, q1 + q1f, q2 + q2f
        elif layer == 'LayerNorm':
            s = np.sqrt(np.outer(q1, q2))
            nz = s > 0
            K = np.where(nz, K / np.where(nz, s, 1), K)
            T = np.where(nz, T / np.where(nz, s, 1), T)
            q1 = np.where(q1 > 0, 1.0, 0.0)
            q2 = np.where(q2 > 0, 1.0, 0.0)
        else:
            f, _ = ACTIVATIONS[layer]
            nK, dK = np.zeros_like(K), np.zeros_like(K)
            sym = K.shape[0] == K.shape[1] and np.array_equal(q1, q2) and np.array_equal(K, K.T)
            for i in range(K.shape[0]):
                for j in range(i if sym else 0, K.shape[1]):
                    bound = math.sqrt(q1[i] * q2[j])
                    nK[i, j], dK[i, j] = f(q1[i], max(-bound, min(bound, K[i, j])), q2[j])
                    if sym:
                        nK[j, i], dK[j, i] = nK[i, j], dK[i, j]
            q1 = np.array([f(a, a, a)[0] for a in q1])
            q2 = np.array([f(a, a, a)[0] for a in q2])
            K, T = nK, T * dK
    return K, T, q1, q2


def activation_names(spec):
    names = []
    for layer in tokens(spec):
        if layer.startswith('Residual('):
            names += activation_names(layer[len('Residual('):-1])
        elif not layer.startswith('Dense') and layer != 'LayerNorm':
            names.append(layer)
    return names


def reference(spec, X):
    """The reference kernels; the input Gram is summed exactly (math.fsum), so duplicate and
    negated rows give rho = +-1 exactly, as they must."""
    n, d = X.shape
    K = np.array([[math.fsum(X[i] * X[j]) / d for j in range(n)] for i in range(n)])
    q = np.diag(K).copy()
    K, T, _, _ = apply(spec, K, np.zeros_like(K), q, q.copy())
    return K, T


# ---------------------------------------------------------------- architectures and data

def architectures():
    archs = []
    for name in ACTIVATIONS:
        if name == 'Identity':
            continue
        archs.append(f'Dense(1.5, 0.05) {name} Dense(1, 0)')
    archs += [
        'Dense(1.5, 0.05) Relu Dense(1.5, 0.05) Relu Dense(1.5, 0.05) Relu Dense(1, 0)',
        'Dense(1.2, 0.1) Erf Dense(1.3, 0.2) Relu Dense(0.9, 0.3) Erf Dense(1.1, 0) Sign Dense(1, 0)',
        'Dense(2, 0.1) Residual(Relu Dense(1, 0)) LayerNorm Dense(1, 0)',
        'Dense(1, 0.2) Residual(Erf Dense(1, 0.1) Relu Dense(0.7, 0)) Residual(Abs Dense(0.5, 0)) Dense(1, 0)',
        'Dense(1.5, 0) Identity LayerNorm Tanh Dense(1, 0.1) Softplus Dense(1, 0)',
        'Dense(1, 0) Cos Dense(1.4, 0) Gelu Dense(1, 0.1) Sin(2, 0.5, 0.3) Dense(1, 0)',
        'Dense(0.8, 0.2) Elu Dense(1.2, 0) Selu Dense(1, 0)',
        'Dense(1, 0.1) Hermite(3) Dense(0.5, 0.1) Polynomial(1, -2, 0.5) Dense(1, 0)',
        'Dense(1, 0) RectifiedMonomial(2) Dense(1, 0.5) LeakyRelu(0.1) Dense(1, 0)',
        'Dense(1.5, 0.05) Mish Dense(1.5, 0.05) Silu Dense(1, 0) Sigmoid Dense(1, 0)',
    ]
    return archs


def inputs(rng, d=5):
    X = rng.standard_normal((7, d))
    X[2] = X[0]          # duplicate row: rho = 1
    X[3] = -X[1]         # negated row: rho = -1
    X[4] = 0.0           # zero row: zero variance (b_std = 0 before an activation keeps it zero)
    X[5] *= 3.0          # large norm
    X[6] *= 0.05         # small norm
    return X


def run_aleph(aleph, spec, x_path, tmp):
    kp, tp = os.path.join(tmp, 'k.npy'), os.path.join(tmp, 't.npy')
    r = subprocess.run([aleph, 'kernel', '--net', spec, '--x1', x_path, '--nngp', kp, '--ntk', tp],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f'aleph failed on {spec!r}: {r.stderr.strip()}')
    return np.load(kp), np.load(tp)


def rel_err(a, ref):
    """Entry-wise relative error, with a floor of 1e-9 of the diagonal scale for entries near 0."""
    scale = np.sqrt(np.outer(np.abs(np.diag(ref)), np.abs(np.diag(ref))))
    floor = np.maximum(np.abs(ref), 1e-9 * scale)
    floor = np.where(floor > 0, floor, 1e-300)
    return float(np.max(np.abs(a - ref) / floor))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument('--aleph', default=os.path.join(root, 'aleph'))
    ap.add_argument('--only', default='')
    ap.add_argument('--verbose', action='store_true')
    args = ap.parse_args()
    rng = np.random.default_rng(20261128)
    X = inputs(rng)
    failures = 0
    worst = {'closed': 0.0, 'quadrature': 0.0}
    with tempfile.TemporaryDirectory() as tmp:
        x_path = os.path.join(tmp, 'x.npy')
        np.save(x_path, X)
        archs = [a for a in architectures() if args.only in a]
        for spec in archs:
            closed = all(ACTIVATIONS[name][1] for name in activation_names(spec))
            K, T = run_aleph(args.aleph, spec, x_path, tmp)
            Kr, Tr = reference(spec, X)
            e = max(rel_err(K, Kr), rel_err(T, Tr))
            tol = 1e-9 if closed else 1e-7
            kind = 'closed' if closed else 'quadrature'
            worst[kind] = max(worst[kind], e)
            ok = e <= tol
            failures += not ok
            print(f'{"ok  " if ok else "FAIL"} {e:9.2e} (tol {tol:.0e}, {kind:10s}) {spec}')
    print(f'{len(archs)} architectures: max relative error {worst["closed"]:.2e} (closed forms), '
          f'{worst["quadrature"]:.2e} (quadrature); {failures} failed')
    print(f'{len(archs) - failures} passed, {failures} failed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
