# Independent reference for CriticalLineTest.tanhPointsPinnedToAnIndependentScipyComputation:
# the tanh mean field with NumPy/SciPy only (run: python3 tanh_reference.py).
import numpy as np
from scipy import integrate, optimize
z, w = np.polynomial.hermite_e.hermegauss(200); w = w / np.sqrt(2*np.pi)
def E(f): return np.sum(w * f(z))
def qstar(sw2, sb2, phi):
    return optimize.brentq(lambda q: sw2*E(lambda x: phi(np.sqrt(q)*x)**2) + sb2 - q, 1e-9, 100, xtol=1e-15)
def chi1(sw2, q, dphi): return sw2*E(lambda x: dphi(np.sqrt(q)*x)**2)
tanh, dtanh = np.tanh, lambda x: 1/np.cosh(x)**2
for sw2, sb2 in [(1.5, 0.05), (1.76, 0.05), (2.5, 0.05), (3.0, 0.3)]:
    q = qstar(sw2, sb2, tanh); print(f"Tanh ({sw2}, {sb2}): q* = {q:.12g}, chi1 = {chi1(sw2, q, dtanh):.12g}")
# critical sw2 at sb2 = 0.05: solve chi1(q*(sw2)) = 1
f = lambda sw2: chi1(sw2, qstar(sw2, 0.05, tanh), dtanh) - 1
print("Tanh critical sw2 at sb2 = 0.05:", optimize.brentq(f, 1.2, 3, xtol=1e-12))
# c* at (2.5, 0.05) with 2-D Gauss-Hermite
def corr(c, q, sw2, sb2):
    X, Y = np.meshgrid(z, z); W = np.outer(w, w)
    u = np.sqrt(q)*X; v = np.sqrt(q)*(c*X + np.sqrt(1-c*c)*Y)
    return (sw2*np.sum(W*tanh(u)*tanh(v)) + sb2)/q
q = qstar(2.5, 0.05, tanh)
print("Tanh c* at (2.5, 0.05):", optimize.brentq(lambda c: corr(c, q, 2.5, 0.05) - c, -0.9, 0.99, xtol=1e-14))
