package org.aleph.kernel.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Gaussians;
import org.aleph.kernel.spi.Provenance;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

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
