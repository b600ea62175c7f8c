package org.aleph.kernel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Gaussians;
import org.aleph.kernel.spi.Provenance;
import org.aleph.kernel.spi.support.ArcCosine;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The contract is only worth something if it fails on wrong activations: each test plants one
 * typical bug in an otherwise correct Relu or Erf and checks that the property meant to catch
 * it does.
 */
class ContractCatchesBugsTest {

    private static ActivationContract contractFor(Activation a) {
        return () -> a;
    }

    private static void assertCaught(Activation broken, java.util.function.Consumer<ActivationContract> check) {
        ActivationContract c = contractFor(broken);
        Throwable t = assertThrows(Throwable.class, () -> check.accept(c));
        if (!(t instanceof AssertionError)) {
            throw new AssertionFailedError("expected an assertion failure, got " + t, t);
        }
    }

    @Test
    void derivativeKernelOffByAFactorFailsQuadratureAndMonteCarlo() {
        // (pi - theta) / pi instead of (pi - theta) / (2 pi)
        Activation broken = Samples.of("Relu", x -> Math.max(0, x), x -> x > 0 ? 1 : 0, new double[] {0},
                (q11, q12, q22, out) -> {
                    Samples.arcCosine(q11, q12, q22, out);
                    out[1] *= 2;
                });
        assertCaught(broken, ActivationContract::expectationsAgreeWithIndependentQuadrature);
        assertCaught(broken, ActivationContract::expectationsAgreeWithMonteCarlo);
    }

    @Test
    void unclampedCorrelationFailsAtRhoExactlyOne() {
        // acos(q12 / sqrt(q11 q22)) without clamping is NaN when rounding pushes rho past 1
        Activation broken = Samples.of("Relu", x -> Math.max(0, x), x -> x > 0 ? 1 : 0, new double[] {0},
                (q11, q12, q22, out) -> {
                    double s = Math.sqrt(q11) * Math.sqrt(q22);
                    double rho = s > 0 ? q12 / s : 0;
                    double t = Math.acos(rho);
                    out[0] = s * (Math.sin(t) + (Math.PI - t) * rho) / (2 * Math.PI);
                    out[1] = (Math.PI - t) / (2 * Math.PI);
                });
        assertCaught(broken, ActivationContract::expectationsAgreeWithIndependentQuadrature);
    }

    @Test
    void cancellationNearMinusOneFailsQuadrature() {
        // sqrt(1 - rho^2) computed naively loses all digits of sqrt(1 - rho^2) near |rho| = 1
        Activation broken = Samples.of("Relu", x -> Math.max(0, x), x -> x > 0 ? 1 : 0, new double[] {0},
                (q11, q12, q22, out) -> {
                    double s = Math.sqrt(q11 * q22);
                    double rho = Gaussians.correlation(q11, q12, q22);
                    float c = (float) Math.sqrt(1 - rho * rho);
                    double t = Math.acos(rho);
                    out[0] = s * (c + (Math.PI - t) * rho) / (2 * Math.PI);
                    out[1] = (Math.PI - t) / (2 * Math.PI);
                });
        assertCaught(broken, ActivationContract::expectationsAgreeWithIndependentQuadrature);
    }

    @Test
    void asymmetricFormulaFailsSymmetry() {
        Activation broken = Samples.of("Erf", org.hipparchus.special.Erf::erf, x -> 2 / Math.sqrt(Math.PI) * Math.exp(-x * x),
                new double[0], (q11, q12, q22, out) -> {
                    out[0] = 2 / Math.PI * Math.asin(2 * q12 / (1 + 2 * q11));
                    out[1] = 4 / Math.PI / Math.sqrt((1 + 2 * q11) * (1 + 2 * q22) - 4 * q12 * q12);
                });
        assertCaught(broken, ActivationContract::expectationsAreSymmetric);
    }

    @Test
    void notAKernelFailsPositiveSemiDefiniteness() {
        Activation broken = Samples.of("Identity", x -> x, x -> 1, new double[0], (q11, q12, q22, out) -> {
            out[0] = q12 * q12 * q12 - 0.5 * q12;
            out[1] = 1;
        });
        assertCaught(broken, ActivationContract::kernelMatricesArePositiveSemiDefinite);
    }

    @Test
    void wrongDerivativeFailsFiniteDifferences() {
        Activation broken = Samples.of("Tanh", Math::tanh, x -> 1 - Math.tanh(x), new double[0], (q11, q12, q22, out) -> { });
        assertCaught(broken, ActivationContract::derivativeMatchesFiniteDifferences);
    }

    @Test
    void undeclaredKinkIsFound() {
        Activation broken = Samples.of("Relu", x -> Math.max(0, x), x -> x > 0 ? 1 : 0, new double[0], Samples::arcCosine);
        assertCaught(broken, ActivationContract::noUndeclaredKinks);
    }

    @Test
    void undeclaredSecondDerivativeKinkIsFound() {
        // Elu(1) is C^1 at 0 but its second derivative jumps from 1 to 0
        Activation broken = Samples.of("Elu", x -> x > 0 ? x : Math.expm1(x), x -> x > 0 ? 1 : Math.exp(x), new double[0],
                (q11, q12, q22, out) -> { });
        assertCaught(broken, ActivationContract::noUndeclaredKinks);
    }

    @Test
    void undeclaredKinkOfAClipAtOneIsFound() {
        Activation broken = Samples.of("Clip", x -> Math.min(x, 1), x -> x < 1 ? 1 : 0, new double[0],
                (q11, q12, q22, out) -> { });
        assertCaught(broken, ActivationContract::noUndeclaredKinks);
    }

    @Test
    void undeclaredKinkAtAnOddPlaceIsFoundByTheScan() {
        // min(x, 1.7) - 0.3 max(x + 4.21, 0)^2: kinks at 1.7 (phi') and -4.21 (phi''), only one declared
        Activation broken = Samples.of("Odd", x -> Math.min(x, 1.7) - 0.3 * Math.pow(Math.max(x + 4.21, 0), 2),
                x -> (x < 1.7 ? 1 : 0) - 0.6 * Math.max(x + 4.21, 0), new double[] {1.7}, (q11, q12, q22, out) -> { });
        assertCaught(broken, ActivationContract::noUndeclaredKinks);
        Activation declared = Samples.of("Odd", broken::phi, broken::dphi, new double[] {1.7, -4.21}, (q11, q12, q22, out) -> { });
        ActivationContract ok = () -> declared;
        ok.noUndeclaredKinks();
        ok.declaredKinksAreReal();
    }

    @Test
    void fakeKinkIsRejected() {
        Activation broken = Samples.of("Erf", org.hipparchus.special.Erf::erf, x -> 2 / Math.sqrt(Math.PI) * Math.exp(-x * x),
                new double[] {0.5}, (q11, q12, q22, out) -> { });
        assertCaught(broken, ActivationContract::declaredKinksAreReal);
    }

    /** max(0, x)^2 with the textbook J_2 = 3 sin theta cos theta + (pi - theta)(1 + 2 cos^2 theta), theta = acos(rho). */
    private static Activation squaredReluWithNaiveJ2() {
        return Samples.of("SquaredRelu", x -> x > 0 ? x * x : 0, x -> x > 0 ? 2 * x : 0, new double[] {0},
                (q11, q12, q22, out) -> {
                    double s = Math.sqrt(q11 * q22);
                    double theta = Math.acos(Gaussians.correlation(q11, q12, q22));
                    double c = Math.cos(theta);
                    double j2 = 3 * Math.sin(theta) * c + (Math.PI - theta) * (1 + 2 * c * c);
                    double j1 = Math.sin(theta) + (Math.PI - theta) * c;
                    out[0] = s * s * j2 / (2 * Math.PI);
                    out[1] = 4 * s * j1 / (2 * Math.PI);
                });
    }

    @Test
    void naiveArcCosineJ2FailsNonNegativityAndTheReportShowsShrunkAndTypicalCases() {
        // at rho = -1, sin(acos(-1)) = 1.2e-16 leaves J_2 = -3.7e-16: far inside the quadrature
        // check's tolerance of the scale, but a negative NNGP of a non-negative phi
        Activation broken = squaredReluWithNaiveJ2();
        ActivationContract c = contractFor(broken);
        AssertionError e = assertThrows(AssertionError.class, c::nngpIsNonNegativeWherePhiIs);
        String message = e.getMessage();
        assertTrue(message.contains("E[phi(u)phi(v)] >= 0, but it is -"), message);
        assertTrue(message.contains("Smallest found falsifying value"), message);
        assertTrue(message.contains(Falsification.FIRST_FAILURE), message);
        assertTrue(message.indexOf("rho EXACT_MINUS_ONE") < message.lastIndexOf("rho "), message);
        // only the sign check sees it: against the independent quadrature it is within tolerance
        c.expectationsAgreeWithIndependentQuadrature();
        Activation fixed = Samples.of("SquaredRelu", broken::phi, broken::dphi, new double[] {0}, (q11, q12, q22, out) -> {
            double[] nngp = new double[1];
            double[] dnngp = new double[1];
            ArcCosine.rectified(2, Math.sqrt(q11 * q22), Gaussians.correlation(q11, q12, q22), nngp, dnngp, 0);
            out[0] = nngp[0];
            out[1] = dnngp[0];
        });
        contractFor(fixed).nngpIsNonNegativeWherePhiIs();
        contractFor(fixed).expectationsAgreeWithIndependentQuadrature();
    }

    @Test
    void nonNegativityIsNotAskedOfAPhiThatTakesNegativeValues() {
        ActivationContract c = contractFor(Samples.erf());
        assertThrows(TestAbortedException.class, c::nngpIsNonNegativeWherePhiIs);
    }

    @Test
    void negativeDerivativeKernelOfAMonotonePhiFailsNonNegativity() {
        // Relu with E[phi' phi'] = (pi - theta) / (2 pi) - 1/4: negative for rho < 0
        Activation broken = Samples.of("Relu", x -> Math.max(0, x), x -> x > 0 ? 1 : 0, new double[] {0},
                (q11, q12, q22, out) -> {
                    Samples.arcCosine(q11, q12, q22, out);
                    out[1] -= 0.25;
                });
        assertCaught(broken, ActivationContract::nngpIsNonNegativeWherePhiIs);
    }

    /** Snake(a) = x + sin^2(a x) / a (Ziyin, Hartwig &amp; Ueda 2020), phi' = 1 + sin(2 a x). */
    private static Activation snake(double a, DoubleUnaryOperator dphi) {
        return Samples.of("Snake", x -> x + Math.sin(a * x) * Math.sin(a * x) / a, dphi, new double[0], (q11, q12, q22, out) -> { });
    }

    @Test
    void aFastOscillationIsCheckedAtItsOwnFrequency() {
        Activation snake = snake(20, x -> 1 + Math.sin(40 * x));
        // phi'' = 40 cos(40 x): 1 / w = 1/40
        assertEquals(1 / 40.0, Smoothness.lengthScale(snake::phi, 10), 0.02 / 40);
        assertTrue(Smoothness.lengthScale(Math::tanh, 10) >= 1);
        assertTrue(Smoothness.lengthScale(x -> Math.max(0, x), 10) >= 1);
        contractFor(snake).derivativeMatchesFiniteDifferences();
        // the unscaled step h = 1e-3 x would have failed the correct derivative (Richardson's
        // error, about h^4 w^5 / 80, exceeds the allowance 1e-7 (|phi'| + (|phi(x-h)| + |phi(x+h)|) / x))
        double x = 7.3;
        double h = Smoothness.step(x);
        double error = Math.abs(Smoothness.derivative(snake::phi, x, h) - snake.dphi(x));
        double allowed = 1e-7 * (Math.abs(snake.dphi(x)) + (Math.abs(snake.phi(x - h)) + Math.abs(snake.phi(x + h))) / x);
        assertTrue(error > 3 * allowed, "error " + error + ", allowed " + allowed);
    }

    @Test
    void aFastOscillationWithAWrongDerivativeFails() {
        // the chain rule's factor 2 forgotten: 1 + sin(a x) cos(a x)
        Activation broken = snake(20, x -> 1 + Math.sin(20 * x) * Math.cos(20 * x));
        assertCaught(broken, ActivationContract::derivativeMatchesFiniteDifferences);
    }

    @Test
    void blockThatReadsOnlyTheFirstTripleFails() {
        Activation relu = Samples.relu();
        Activation broken = new Delegate(relu) {
            @Override
            public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
                double[] out = new double[2];
                for (int e = 0; e < n; e++) {
                    Samples.arcCosine(q11[0], q12[0], q22[0], out);
                    nngp[e] = out[0];
                    if (dnngp != null) {
                        dnngp[e] = out[1];
                    }
                }
            }
        };
        assertCaught(broken, ActivationContract::blockEvaluationMatchesSingleCalls);
    }

    @Test
    void blockThatWritesBeyondNFails() {
        Activation relu = Samples.relu();
        Activation broken = new Delegate(relu) {
            @Override
            public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
                relu.expectations(q11, q12, q22, Math.min(n + 1, nngp.length), nngp, dnngp);
            }
        };
        assertCaught(broken, ActivationContract::blockEvaluationMatchesSingleCalls);
    }

    @Test
    void blockThatRejectsNullDnngpFails() {
        Activation relu = Samples.relu();
        Activation broken = new Delegate(relu) {
            @Override
            public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
                relu.expectations(q11, q12, q22, n, nngp, new double[n]);
                dnngp[0] = dnngp[0]; // NullPointerException when dnngp is null
            }
        };
        ActivationContract c = contractFor(broken);
        assertThrows(Throwable.class, c::blockEvaluationMatchesSingleCalls);
    }

    @Test
    void sharedScratchArrayFailsTheConcurrencyCheck() {
        // one scratch array for all callers: another thread overwrites it between write and read
        Activation relu = Samples.relu();
        Activation broken = new Delegate(relu) {
            private final double[] scratch = new double[2];

            @Override
            public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
                for (int e = 0; e < n; e++) {
                    Samples.arcCosine(q11[e], q12[e], q22[e], scratch);
                    Thread.yield();
                    nngp[e] = scratch[0];
                    if (dnngp != null) {
                        dnngp[e] = scratch[1];
                    }
                }
            }
        };
        assertCaught(broken, c -> {
            try {
                c.concurrentCallsAgree();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void nameThatDoesNotParseBackFails() {
        Activation relu = Samples.relu();
        Activation broken = new Delegate(relu) {
            @Override
            public String name() {
                return "Relu(slope=1)";
            }
        };
        ActivationContract c = new ActivationContract() {
            @Override
            public Activation activation() {
                return broken;
            }

            @Override
            public org.aleph.kernel.ActivationRegistry registry() {
                return SampleContractTests.registryOf(relu);
            }
        };
        assertCaught(broken, x -> c.nameParsesBack());
    }

    /** An activation forwarding everything to another one; tests override the part they break. */
    private static class Delegate implements Activation {
        private final Activation inner;

        Delegate(Activation inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public double phi(double x) {
            return inner.phi(x);
        }

        @Override
        public double dphi(double x) {
            return inner.dphi(x);
        }

        @Override
        public double[] kinks() {
            return inner.kinks();
        }

        @Override
        public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
            inner.expectations(q11, q12, q22, n, nngp, dnngp);
        }

        @Override
        public Provenance provenance() {
            return inner.provenance();
        }
    }
}
